from upstash_workflow.cli import main

main()
