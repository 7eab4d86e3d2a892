
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'jira-spoke' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'jira-spoke'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'jira-spoke' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--connection', '--connection', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR (any value) turns it off in `auto`')
            [CompletionResult]::new('--auth-url', '--auth-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results (and errors) as JSON on stdout, for scripts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Guided, interactive set-up of a connection: site, app registration, token, keyring, check')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Create or replace a connection without prompts (for CI and scripts)')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a stored connection end to end and say exactly what to fix')
            [CompletionResult]::new('cloud-id', 'cloud-id', [CompletionResultType]::ParameterValue, 'Print the Cloud ID of a Jira Cloud site')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Print a valid access token for the connection (refreshing it if needed)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List stored connections; `*` marks the default one')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make a stored connection the default (like `gh auth switch`)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Delete a stored connection and its secrets')
            [CompletionResult]::new('scopes', 'scopes', [CompletionResultType]::ParameterValue, 'Show the OAuth scopes the ServiceNow Jira spoke needs, grouped as the developer console groups them')
            [CompletionResult]::new('check-app', 'check-app', [CompletionResultType]::ParameterValue, 'Check an OAuth app''s client ID and secret without a browser')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print what the ServiceNow Jira spoke''s forms need for a stored connection')
            [CompletionResult]::new('servicenow', 'servicenow', [CompletionResultType]::ParameterValue, 'Create, check and authorize the ServiceNow Jira spoke''s records for a stored connection')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print jira-spoke''s manual page (roff) on stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'jira-spoke;setup' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--connection', '--connection', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR (any value) turns it off in `auto`')
            [CompletionResult]::new('--auth-url', '--auth-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results (and errors) as JSON on stdout, for scripts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jira-spoke;connect' {
            [CompletionResult]::new('--grant', '--grant', [CompletionResultType]::ParameterName, 'How to authenticate')
            [CompletionResult]::new('--site', '--site', [CompletionResultType]::ParameterName, 'The Jira site: `acme`, `acme.atlassian.net`, `https://acme.atlassian.net`')
            [CompletionResult]::new('--cloud-id', '--cloud-id', [CompletionResultType]::ParameterName, 'The site''s Cloud ID, when known (`jira-spoke cloud-id` finds it)')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'OAuth client ID: developer console → your app → Settings, or the service account''s credential')
            [CompletionResult]::new('--scopes', '--scopes', [CompletionResultType]::ParameterName, 'Scopes to request, separated by spaces or commas (default: the ServiceNow Jira spoke set; `offline_access` is added for authorization code)')
            [CompletionResult]::new('--redirect-uri', '--redirect-uri', [CompletionResultType]::ParameterName, 'The callback URL registered in the developer console, exactly (authorization code)')
            [CompletionResult]::new('--callback-timeout', '--callback-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for the browser to come back with consent (1 to 3600)')
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'Atlassian account e-mail (API token)')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'Jira REST API version used for checks (the ServiceNow spoke uses 2)')
            [CompletionResult]::new('--authorize-url', '--authorize-url', [CompletionResultType]::ParameterName, 'Authorization URL (default: <auth-url>/authorize)')
            [CompletionResult]::new('--token-url', '--token-url', [CompletionResultType]::ParameterName, 'Token URL (default: <auth-url>/oauth/token)')
            [CompletionResult]::new('--refresh-url', '--refresh-url', [CompletionResultType]::ParameterName, 'Refresh token URL (default: the token URL)')
            [CompletionResult]::new('--revocation-url', '--revocation-url', [CompletionResultType]::ParameterName, 'Token revocation URL (default: the token URL)')
            [CompletionResult]::new('--token-body', '--token-body', [CompletionResultType]::ParameterName, 'How token requests are encoded: `form` (application/x-www-form-urlencoded, as RFC 6749 and every OAuth 2.0 server expect; Atlassian accepts it) or `json`, the form Atlassian''s docs show')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--connection', '--connection', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR (any value) turns it off in `auto`')
            [CompletionResult]::new('--auth-url', '--auth-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones')
            [CompletionResult]::new('--client-secret-stdin', '--client-secret-stdin', [CompletionResultType]::ParameterName, 'Read the OAuth client secret from the first line of stdin (otherwise from JIRA_SPOKE_CLIENT_SECRET, or a hidden prompt)')
            [CompletionResult]::new('--no-browser', '--no-browser', [CompletionResultType]::ParameterName, 'Do not open a browser: print the consent URL; on a terminal you may paste the final URL back')
            [CompletionResult]::new('--api-token-stdin', '--api-token-stdin', [CompletionResultType]::ParameterName, 'Read the API token from the first line of stdin (otherwise from JIRA_SPOKE_API_TOKEN, or a hidden prompt)')
            [CompletionResult]::new('--replace-site', '--replace-site', [CompletionResultType]::ParameterName, 'Replace a connection whose ServiceNow records serve another Jira site without asking (needed without a terminal). The records stay and keep serving their site')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results (and errors) as JSON on stdout, for scripts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jira-spoke;verify' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--connection', '--connection', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR (any value) turns it off in `auto`')
            [CompletionResult]::new('--auth-url', '--auth-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Verify every stored connection (concurrently): one line for each that passed, every check and hint for each that failed (one line for one that failed just as an earlier one did), and a last line naming the ones that failed (`verify -c NAME` or `--json` shows every check of each)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results (and errors) as JSON on stdout, for scripts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jira-spoke;cloud-id' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--connection', '--connection', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR (any value) turns it off in `auto`')
            [CompletionResult]::new('--auth-url', '--auth-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results (and errors) as JSON on stdout, for scripts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jira-spoke;token' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--connection', '--connection', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR (any value) turns it off in `auto`')
            [CompletionResult]::new('--auth-url', '--auth-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results (and errors) as JSON on stdout, for scripts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jira-spoke;list' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--connection', '--connection', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR (any value) turns it off in `auto`')
            [CompletionResult]::new('--auth-url', '--auth-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results (and errors) as JSON on stdout, for scripts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jira-spoke;use' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--connection', '--connection', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR (any value) turns it off in `auto`')
            [CompletionResult]::new('--auth-url', '--auth-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results (and errors) as JSON on stdout, for scripts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jira-spoke;remove' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--connection', '--connection', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR (any value) turns it off in `auto`')
            [CompletionResult]::new('--auth-url', '--auth-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results (and errors) as JSON on stdout, for scripts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jira-spoke;scopes' {
            [CompletionResult]::new('--grant', '--grant', [CompletionResultType]::ParameterName, 'Show the set for this grant: authorization-code adds `offline_access`')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--connection', '--connection', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR (any value) turns it off in `auto`')
            [CompletionResult]::new('--auth-url', '--auth-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results (and errors) as JSON on stdout, for scripts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jira-spoke;check-app' {
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'The OAuth client ID to check')
            [CompletionResult]::new('--token-url', '--token-url', [CompletionResultType]::ParameterName, 'Token URL (default: <auth-url>/oauth/token)')
            [CompletionResult]::new('--token-body', '--token-body', [CompletionResultType]::ParameterName, 'How token requests are encoded: `form` (RFC 6749) or `json` (as Atlassian''s docs show)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--connection', '--connection', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR (any value) turns it off in `auto`')
            [CompletionResult]::new('--auth-url', '--auth-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones')
            [CompletionResult]::new('--client-secret-stdin', '--client-secret-stdin', [CompletionResultType]::ParameterName, 'Read the client secret from stdin (otherwise JIRA_SPOKE_CLIENT_SECRET, or a hidden prompt)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results (and errors) as JSON on stdout, for scripts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jira-spoke;export' {
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The integration whose forms to fill')
            [CompletionResult]::new('--instance', '--instance', [CompletionResultType]::ParameterName, 'The ServiceNow instance (`acme`, `acme.service-now.com` or its URL), for the OAuth redirect URL')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'With --reveal: the file to create for the export with secrets (must not exist)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--connection', '--connection', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR (any value) turns it off in `auto`')
            [CompletionResult]::new('--auth-url', '--auth-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones')
            [CompletionResult]::new('--reveal', '--reveal', [CompletionResultType]::ParameterName, 'Include the secrets, written only to the new file given by --out (mode 0600)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results (and errors) as JSON on stdout, for scripts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jira-spoke;servicenow' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--connection', '--connection', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR (any value) turns it off in `auto`')
            [CompletionResult]::new('--auth-url', '--auth-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results (and errors) as JSON on stdout, for scripts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Create or update the spoke''s records on the instance, idempotently')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Read the spoke''s records back and check them; exits non-zero on any failure')
            [CompletionResult]::new('consent', 'consent', [CompletionResultType]::ParameterValue, 'Run the credential''s "Get OAuth Token" and wait until ServiceNow holds a new token')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Sign in to an instance once and keep the login (checked first) in the keyring')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Delete what `apply` made on the instance for this connection and its Jira site')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Forget the ServiceNow login kept for an instance (in every store)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'jira-spoke;servicenow;apply' {
            [CompletionResult]::new('--instance', '--instance', [CompletionResultType]::ParameterName, 'The ServiceNow instance: `acme`, `acme.service-now.com` or its URL. Default: the instance the connection was applied to; else asked at a terminal')
            [CompletionResult]::new('--servicenow-user', '--servicenow-user', [CompletionResultType]::ParameterName, 'The ServiceNow user to sign in as (its password: JIRA_SPOKE_SERVICENOW_PASSWORD, --servicenow-password-stdin, or a hidden prompt). Default: the login kept by `servicenow login`')
            [CompletionResult]::new('--alias', '--alias', [CompletionResultType]::ParameterName, 'Put the connection under this existing alias or child alias (its ID, e.g. one made in Workflow Studio). Default: sn_jira_spoke.Jira for the first Jira site, a child alias of it made for each other site')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--connection', '--connection', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR (any value) turns it off in `auto`')
            [CompletionResult]::new('--auth-url', '--auth-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones')
            [CompletionResult]::new('--servicenow-password-stdin', '--servicenow-password-stdin', [CompletionResultType]::ParameterName, 'Read the ServiceNow password from the first line of stdin')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan (create / update field: old → new / unchanged) and write nothing')
            [CompletionResult]::new('--write-secrets', '--write-secrets', [CompletionResultType]::ParameterName, 'Write the client secret (or API token) again on records that exist, e.g. after rotating it; secrets are never read back, so this is the only way to push a new one')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results (and errors) as JSON on stdout, for scripts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jira-spoke;servicenow;verify' {
            [CompletionResult]::new('--instance', '--instance', [CompletionResultType]::ParameterName, 'The ServiceNow instance: `acme`, `acme.service-now.com` or its URL. Default: the instance the connection was applied to; else asked at a terminal')
            [CompletionResult]::new('--servicenow-user', '--servicenow-user', [CompletionResultType]::ParameterName, 'The ServiceNow user to sign in as (its password: JIRA_SPOKE_SERVICENOW_PASSWORD, --servicenow-password-stdin, or a hidden prompt). Default: the login kept by `servicenow login`')
            [CompletionResult]::new('--alias', '--alias', [CompletionResultType]::ParameterName, 'Put the connection under this existing alias or child alias (its ID, e.g. one made in Workflow Studio). Default: sn_jira_spoke.Jira for the first Jira site, a child alias of it made for each other site')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--connection', '--connection', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR (any value) turns it off in `auto`')
            [CompletionResult]::new('--auth-url', '--auth-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones')
            [CompletionResult]::new('--servicenow-password-stdin', '--servicenow-password-stdin', [CompletionResultType]::ParameterName, 'Read the ServiceNow password from the first line of stdin')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results (and errors) as JSON on stdout, for scripts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jira-spoke;servicenow;consent' {
            [CompletionResult]::new('--instance', '--instance', [CompletionResultType]::ParameterName, 'The ServiceNow instance: `acme`, `acme.service-now.com` or its URL. Default: the instance the connection was applied to; else asked at a terminal')
            [CompletionResult]::new('--servicenow-user', '--servicenow-user', [CompletionResultType]::ParameterName, 'The ServiceNow user to sign in as (its password: JIRA_SPOKE_SERVICENOW_PASSWORD, --servicenow-password-stdin, or a hidden prompt). Default: the login kept by `servicenow login`')
            [CompletionResult]::new('--alias', '--alias', [CompletionResultType]::ParameterName, 'Put the connection under this existing alias or child alias (its ID, e.g. one made in Workflow Studio). Default: sn_jira_spoke.Jira for the first Jira site, a child alias of it made for each other site')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Seconds to wait for ServiceNow''s token')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--connection', '--connection', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR (any value) turns it off in `auto`')
            [CompletionResult]::new('--auth-url', '--auth-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones')
            [CompletionResult]::new('--servicenow-password-stdin', '--servicenow-password-stdin', [CompletionResultType]::ParameterName, 'Read the ServiceNow password from the first line of stdin')
            [CompletionResult]::new('--no-browser', '--no-browser', [CompletionResultType]::ParameterName, 'Do not open a browser: print the URL to open')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results (and errors) as JSON on stdout, for scripts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jira-spoke;servicenow;login' {
            [CompletionResult]::new('--instance', '--instance', [CompletionResultType]::ParameterName, 'The ServiceNow instance: `acme`, `acme.service-now.com` or its URL. Default: the instance the connection was applied to; else asked at a terminal')
            [CompletionResult]::new('--servicenow-user', '--servicenow-user', [CompletionResultType]::ParameterName, 'The ServiceNow user to sign in as (its password: JIRA_SPOKE_SERVICENOW_PASSWORD, --servicenow-password-stdin, or a hidden prompt). Default: the login kept by `servicenow login`')
            [CompletionResult]::new('--alias', '--alias', [CompletionResultType]::ParameterName, 'Put the connection under this existing alias or child alias (its ID, e.g. one made in Workflow Studio). Default: sn_jira_spoke.Jira for the first Jira site, a child alias of it made for each other site')
            [CompletionResult]::new('--oauth-client-id', '--oauth-client-id', [CompletionResultType]::ParameterName, 'Sign in through a browser with this inbound OAuth client of the instance (System OAuth → Application Registry). Its secret, if it has one: JIRA_SPOKE_SERVICENOW_CLIENT_SECRET or a hidden prompt')
            [CompletionResult]::new('--redirect-uri', '--redirect-uri', [CompletionResultType]::ParameterName, 'The loopback Redirect URL registered on that OAuth client')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--connection', '--connection', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR (any value) turns it off in `auto`')
            [CompletionResult]::new('--auth-url', '--auth-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones')
            [CompletionResult]::new('--servicenow-password-stdin', '--servicenow-password-stdin', [CompletionResultType]::ParameterName, 'Read the ServiceNow password from the first line of stdin')
            [CompletionResult]::new('--no-browser', '--no-browser', [CompletionResultType]::ParameterName, 'Do not open a browser: print the sign-in URL and take the final address pasted back')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results (and errors) as JSON on stdout, for scripts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jira-spoke;servicenow;remove' {
            [CompletionResult]::new('--instance', '--instance', [CompletionResultType]::ParameterName, 'The ServiceNow instance: `acme`, `acme.service-now.com` or its URL. Default: the instance the connection was applied to; else asked at a terminal')
            [CompletionResult]::new('--servicenow-user', '--servicenow-user', [CompletionResultType]::ParameterName, 'The ServiceNow user to sign in as (its password: JIRA_SPOKE_SERVICENOW_PASSWORD, --servicenow-password-stdin, or a hidden prompt). Default: the login kept by `servicenow login`')
            [CompletionResult]::new('--alias', '--alias', [CompletionResultType]::ParameterName, 'Put the connection under this existing alias or child alias (its ID, e.g. one made in Workflow Studio). Default: sn_jira_spoke.Jira for the first Jira site, a child alias of it made for each other site')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--connection', '--connection', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR (any value) turns it off in `auto`')
            [CompletionResult]::new('--auth-url', '--auth-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones')
            [CompletionResult]::new('--servicenow-password-stdin', '--servicenow-password-stdin', [CompletionResultType]::ParameterName, 'Read the ServiceNow password from the first line of stdin')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'List what would be deleted and delete nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results (and errors) as JSON on stdout, for scripts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jira-spoke;servicenow;logout' {
            [CompletionResult]::new('--instance', '--instance', [CompletionResultType]::ParameterName, 'The ServiceNow instance: `acme`, `acme.service-now.com` or its URL. Default: the instance the connection was applied to')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--connection', '--connection', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR (any value) turns it off in `auto`')
            [CompletionResult]::new('--auth-url', '--auth-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results (and errors) as JSON on stdout, for scripts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jira-spoke;servicenow;help' {
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Create or update the spoke''s records on the instance, idempotently')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Read the spoke''s records back and check them; exits non-zero on any failure')
            [CompletionResult]::new('consent', 'consent', [CompletionResultType]::ParameterValue, 'Run the credential''s "Get OAuth Token" and wait until ServiceNow holds a new token')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Sign in to an instance once and keep the login (checked first) in the keyring')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Delete what `apply` made on the instance for this connection and its Jira site')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Forget the ServiceNow login kept for an instance (in every store)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'jira-spoke;servicenow;help;apply' {
            break
        }
        'jira-spoke;servicenow;help;verify' {
            break
        }
        'jira-spoke;servicenow;help;consent' {
            break
        }
        'jira-spoke;servicenow;help;login' {
            break
        }
        'jira-spoke;servicenow;help;remove' {
            break
        }
        'jira-spoke;servicenow;help;logout' {
            break
        }
        'jira-spoke;servicenow;help;help' {
            break
        }
        'jira-spoke;completions' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--connection', '--connection', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR (any value) turns it off in `auto`')
            [CompletionResult]::new('--auth-url', '--auth-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results (and errors) as JSON on stdout, for scripts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jira-spoke;man' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--connection', '--connection', [CompletionResultType]::ParameterName, 'Name of the stored connection to use (several Jira sites = several connections)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour. NO_COLOR (any value) turns it off in `auto`')
            [CompletionResult]::new('--auth-url', '--auth-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results (and errors) as JSON on stdout, for scripts')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress or status lines')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'jira-spoke;help' {
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Guided, interactive set-up of a connection: site, app registration, token, keyring, check')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Create or replace a connection without prompts (for CI and scripts)')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a stored connection end to end and say exactly what to fix')
            [CompletionResult]::new('cloud-id', 'cloud-id', [CompletionResultType]::ParameterValue, 'Print the Cloud ID of a Jira Cloud site')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Print a valid access token for the connection (refreshing it if needed)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List stored connections; `*` marks the default one')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make a stored connection the default (like `gh auth switch`)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Delete a stored connection and its secrets')
            [CompletionResult]::new('scopes', 'scopes', [CompletionResultType]::ParameterValue, 'Show the OAuth scopes the ServiceNow Jira spoke needs, grouped as the developer console groups them')
            [CompletionResult]::new('check-app', 'check-app', [CompletionResultType]::ParameterValue, 'Check an OAuth app''s client ID and secret without a browser')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print what the ServiceNow Jira spoke''s forms need for a stored connection')
            [CompletionResult]::new('servicenow', 'servicenow', [CompletionResultType]::ParameterValue, 'Create, check and authorize the ServiceNow Jira spoke''s records for a stored connection')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print jira-spoke''s manual page (roff) on stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'jira-spoke;help;setup' {
            break
        }
        'jira-spoke;help;connect' {
            break
        }
        'jira-spoke;help;verify' {
            break
        }
        'jira-spoke;help;cloud-id' {
            break
        }
        'jira-spoke;help;token' {
            break
        }
        'jira-spoke;help;list' {
            break
        }
        'jira-spoke;help;use' {
            break
        }
        'jira-spoke;help;remove' {
            break
        }
        'jira-spoke;help;scopes' {
            break
        }
        'jira-spoke;help;check-app' {
            break
        }
        'jira-spoke;help;export' {
            break
        }
        'jira-spoke;help;servicenow' {
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Create or update the spoke''s records on the instance, idempotently')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Read the spoke''s records back and check them; exits non-zero on any failure')
            [CompletionResult]::new('consent', 'consent', [CompletionResultType]::ParameterValue, 'Run the credential''s "Get OAuth Token" and wait until ServiceNow holds a new token')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Sign in to an instance once and keep the login (checked first) in the keyring')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Delete what `apply` made on the instance for this connection and its Jira site')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Forget the ServiceNow login kept for an instance (in every store)')
            break
        }
        'jira-spoke;help;servicenow;apply' {
            break
        }
        'jira-spoke;help;servicenow;verify' {
            break
        }
        'jira-spoke;help;servicenow;consent' {
            break
        }
        'jira-spoke;help;servicenow;login' {
            break
        }
        'jira-spoke;help;servicenow;remove' {
            break
        }
        'jira-spoke;help;servicenow;logout' {
            break
        }
        'jira-spoke;help;completions' {
            break
        }
        'jira-spoke;help;man' {
            break
        }
        'jira-spoke;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
