from upstash_workflow.rest.cli import main

main()
