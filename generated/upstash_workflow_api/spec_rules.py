"""Rules from openapi.yaml, written by scripts/spec_rules.py (scripts/generate): do not edit."""

# BatchMessage / TriggerItem headers: name (lower case) -> (pattern, description)
MESSAGE_HEADER_PATTERNS: dict[str, tuple[str, str]] = {
    'upstash-retries': ('^[0-9]{1,18}$', 'Retries of each step.'),
    'upstash-failure-callback-retries': ('^[0-9]{1,18}$', 'Retries of the failure callback.'),
    'upstash-not-before': ('^[0-9]{1,18}$', 'Unix seconds before which the run does not start.'),
    'upstash-delay': ('^([0-9]{1,18}[smhd])+$', 'A delay such as 10s, 5m, 2h or 1d.'),
    'upstash-flow-control-value': ('^(parallelism=[0-9]{1,18}|rate=[0-9]{1,18}|period=([0-9]{1,18}[smhd])+)(, (parallelism=[0-9]{1,18}|rate=[0-9]{1,18}|period=([0-9]{1,18}[smhd])+))*$', 'Flow-control limits of the run.'),
    'upstash-failure-callback-flow-control-value': ('^(parallelism=[0-9]{1,18}|rate=[0-9]{1,18}|period=([0-9]{1,18}[smhd])+)(, (parallelism=[0-9]{1,18}|rate=[0-9]{1,18}|period=([0-9]{1,18}[smhd])+))*$', 'Flow-control limits of the failure callback.'),
}
