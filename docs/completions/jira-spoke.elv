
use builtin;
use str;

set edit:completion:arg-completer[jira-spoke] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'jira-spoke'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'jira-spoke'= {
            cand -c 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --connection 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --color 'When to use colour. NO_COLOR (any value) turns it off in `auto`'
            cand --auth-url 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)'
            cand --api-url 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)'
            cand --store 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory'
            cand --timeout 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)'
            cand --ca-file 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones'
            cand --json 'Print results (and errors) as JSON on stdout, for scripts'
            cand -q 'Print only results and errors: no progress or status lines'
            cand --quiet 'Print only results and errors: no progress or status lines'
            cand -v 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand --verbose 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand setup 'Guided, interactive set-up of a connection: site, app registration, token, keyring, check'
            cand connect 'Create or replace a connection without prompts (for CI and scripts)'
            cand verify 'Check a stored connection end to end and say exactly what to fix'
            cand cloud-id 'Print the Cloud ID of a Jira Cloud site'
            cand token 'Print a valid access token for the connection (refreshing it if needed)'
            cand list 'List stored connections; `*` marks the default one'
            cand use 'Make a stored connection the default (like `gh auth switch`)'
            cand remove 'Delete a stored connection and its secrets'
            cand scopes 'Show the OAuth scopes the ServiceNow Jira spoke needs, grouped as the developer console groups them'
            cand check-app 'Check an OAuth app''s client ID and secret without a browser'
            cand export 'Print what the ServiceNow Jira spoke''s forms need for a stored connection'
            cand servicenow 'Create, check and authorize the ServiceNow Jira spoke''s records for a stored connection'
            cand completions 'Print a shell completion script'
            cand man 'Print jira-spoke''s manual page (roff) on stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'jira-spoke;setup'= {
            cand -c 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --connection 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --color 'When to use colour. NO_COLOR (any value) turns it off in `auto`'
            cand --auth-url 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)'
            cand --api-url 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)'
            cand --store 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory'
            cand --timeout 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)'
            cand --ca-file 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones'
            cand --json 'Print results (and errors) as JSON on stdout, for scripts'
            cand -q 'Print only results and errors: no progress or status lines'
            cand --quiet 'Print only results and errors: no progress or status lines'
            cand -v 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand --verbose 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jira-spoke;connect'= {
            cand --grant 'How to authenticate'
            cand --site 'The Jira site: `acme`, `acme.atlassian.net`, `https://acme.atlassian.net`'
            cand --cloud-id 'The site''s Cloud ID, when known (`jira-spoke cloud-id` finds it)'
            cand --client-id 'OAuth client ID: developer console → your app → Settings, or the service account''s credential'
            cand --scopes 'Scopes to request, separated by spaces or commas (default: the ServiceNow Jira spoke set; `offline_access` is added for authorization code)'
            cand --redirect-uri 'The callback URL registered in the developer console, exactly (authorization code)'
            cand --callback-timeout 'Seconds to wait for the browser to come back with consent (1 to 3600)'
            cand --email 'Atlassian account e-mail (API token)'
            cand --api-version 'Jira REST API version used for checks (the ServiceNow spoke uses 2)'
            cand --authorize-url 'Authorization URL (default: <auth-url>/authorize)'
            cand --token-url 'Token URL (default: <auth-url>/oauth/token)'
            cand --refresh-url 'Refresh token URL (default: the token URL)'
            cand --revocation-url 'Token revocation URL (default: the token URL)'
            cand --token-body 'How token requests are encoded: `form` (application/x-www-form-urlencoded, as RFC 6749 and every OAuth 2.0 server expect; Atlassian accepts it) or `json`, the form Atlassian''s docs show'
            cand -c 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --connection 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --color 'When to use colour. NO_COLOR (any value) turns it off in `auto`'
            cand --auth-url 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)'
            cand --api-url 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)'
            cand --store 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory'
            cand --timeout 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)'
            cand --ca-file 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones'
            cand --client-secret-stdin 'Read the OAuth client secret from the first line of stdin (otherwise from JIRA_SPOKE_CLIENT_SECRET, or a hidden prompt)'
            cand --no-browser 'Do not open a browser: print the consent URL; on a terminal you may paste the final URL back'
            cand --api-token-stdin 'Read the API token from the first line of stdin (otherwise from JIRA_SPOKE_API_TOKEN, or a hidden prompt)'
            cand --replace-site 'Replace a connection whose ServiceNow records serve another Jira site without asking (needed without a terminal). The records stay and keep serving their site'
            cand --json 'Print results (and errors) as JSON on stdout, for scripts'
            cand -q 'Print only results and errors: no progress or status lines'
            cand --quiet 'Print only results and errors: no progress or status lines'
            cand -v 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand --verbose 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jira-spoke;verify'= {
            cand -c 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --connection 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --color 'When to use colour. NO_COLOR (any value) turns it off in `auto`'
            cand --auth-url 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)'
            cand --api-url 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)'
            cand --store 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory'
            cand --timeout 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)'
            cand --ca-file 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones'
            cand --all 'Verify every stored connection (concurrently): one line for each that passed, every check and hint for each that failed (one line for one that failed just as an earlier one did), and a last line naming the ones that failed (`verify -c NAME` or `--json` shows every check of each)'
            cand --json 'Print results (and errors) as JSON on stdout, for scripts'
            cand -q 'Print only results and errors: no progress or status lines'
            cand --quiet 'Print only results and errors: no progress or status lines'
            cand -v 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand --verbose 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jira-spoke;cloud-id'= {
            cand -c 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --connection 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --color 'When to use colour. NO_COLOR (any value) turns it off in `auto`'
            cand --auth-url 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)'
            cand --api-url 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)'
            cand --store 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory'
            cand --timeout 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)'
            cand --ca-file 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones'
            cand --json 'Print results (and errors) as JSON on stdout, for scripts'
            cand -q 'Print only results and errors: no progress or status lines'
            cand --quiet 'Print only results and errors: no progress or status lines'
            cand -v 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand --verbose 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jira-spoke;token'= {
            cand -c 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --connection 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --color 'When to use colour. NO_COLOR (any value) turns it off in `auto`'
            cand --auth-url 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)'
            cand --api-url 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)'
            cand --store 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory'
            cand --timeout 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)'
            cand --ca-file 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones'
            cand --json 'Print results (and errors) as JSON on stdout, for scripts'
            cand -q 'Print only results and errors: no progress or status lines'
            cand --quiet 'Print only results and errors: no progress or status lines'
            cand -v 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand --verbose 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jira-spoke;list'= {
            cand -c 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --connection 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --color 'When to use colour. NO_COLOR (any value) turns it off in `auto`'
            cand --auth-url 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)'
            cand --api-url 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)'
            cand --store 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory'
            cand --timeout 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)'
            cand --ca-file 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones'
            cand --json 'Print results (and errors) as JSON on stdout, for scripts'
            cand -q 'Print only results and errors: no progress or status lines'
            cand --quiet 'Print only results and errors: no progress or status lines'
            cand -v 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand --verbose 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jira-spoke;use'= {
            cand -c 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --connection 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --color 'When to use colour. NO_COLOR (any value) turns it off in `auto`'
            cand --auth-url 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)'
            cand --api-url 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)'
            cand --store 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory'
            cand --timeout 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)'
            cand --ca-file 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones'
            cand --json 'Print results (and errors) as JSON on stdout, for scripts'
            cand -q 'Print only results and errors: no progress or status lines'
            cand --quiet 'Print only results and errors: no progress or status lines'
            cand -v 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand --verbose 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jira-spoke;remove'= {
            cand -c 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --connection 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --color 'When to use colour. NO_COLOR (any value) turns it off in `auto`'
            cand --auth-url 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)'
            cand --api-url 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)'
            cand --store 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory'
            cand --timeout 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)'
            cand --ca-file 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones'
            cand --json 'Print results (and errors) as JSON on stdout, for scripts'
            cand -q 'Print only results and errors: no progress or status lines'
            cand --quiet 'Print only results and errors: no progress or status lines'
            cand -v 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand --verbose 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jira-spoke;scopes'= {
            cand --grant 'Show the set for this grant: authorization-code adds `offline_access`'
            cand -c 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --connection 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --color 'When to use colour. NO_COLOR (any value) turns it off in `auto`'
            cand --auth-url 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)'
            cand --api-url 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)'
            cand --store 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory'
            cand --timeout 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)'
            cand --ca-file 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones'
            cand --json 'Print results (and errors) as JSON on stdout, for scripts'
            cand -q 'Print only results and errors: no progress or status lines'
            cand --quiet 'Print only results and errors: no progress or status lines'
            cand -v 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand --verbose 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jira-spoke;check-app'= {
            cand --client-id 'The OAuth client ID to check'
            cand --token-url 'Token URL (default: <auth-url>/oauth/token)'
            cand --token-body 'How token requests are encoded: `form` (RFC 6749) or `json` (as Atlassian''s docs show)'
            cand -c 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --connection 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --color 'When to use colour. NO_COLOR (any value) turns it off in `auto`'
            cand --auth-url 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)'
            cand --api-url 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)'
            cand --store 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory'
            cand --timeout 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)'
            cand --ca-file 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones'
            cand --client-secret-stdin 'Read the client secret from stdin (otherwise JIRA_SPOKE_CLIENT_SECRET, or a hidden prompt)'
            cand --json 'Print results (and errors) as JSON on stdout, for scripts'
            cand -q 'Print only results and errors: no progress or status lines'
            cand --quiet 'Print only results and errors: no progress or status lines'
            cand -v 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand --verbose 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jira-spoke;export'= {
            cand --target 'The integration whose forms to fill'
            cand --instance 'The ServiceNow instance (`acme`, `acme.service-now.com` or its URL), for the OAuth redirect URL'
            cand --out 'With --reveal: the file to create for the export with secrets (must not exist)'
            cand -c 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --connection 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --color 'When to use colour. NO_COLOR (any value) turns it off in `auto`'
            cand --auth-url 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)'
            cand --api-url 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)'
            cand --store 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory'
            cand --timeout 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)'
            cand --ca-file 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones'
            cand --reveal 'Include the secrets, written only to the new file given by --out (mode 0600)'
            cand --json 'Print results (and errors) as JSON on stdout, for scripts'
            cand -q 'Print only results and errors: no progress or status lines'
            cand --quiet 'Print only results and errors: no progress or status lines'
            cand -v 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand --verbose 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jira-spoke;servicenow'= {
            cand -c 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --connection 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --color 'When to use colour. NO_COLOR (any value) turns it off in `auto`'
            cand --auth-url 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)'
            cand --api-url 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)'
            cand --store 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory'
            cand --timeout 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)'
            cand --ca-file 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones'
            cand --json 'Print results (and errors) as JSON on stdout, for scripts'
            cand -q 'Print only results and errors: no progress or status lines'
            cand --quiet 'Print only results and errors: no progress or status lines'
            cand -v 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand --verbose 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand apply 'Create or update the spoke''s records on the instance, idempotently'
            cand verify 'Read the spoke''s records back and check them; exits non-zero on any failure'
            cand consent 'Run the credential''s "Get OAuth Token" and wait until ServiceNow holds a new token'
            cand login 'Sign in to an instance once and keep the login (checked first) in the keyring'
            cand remove 'Delete what `apply` made on the instance for this connection and its Jira site'
            cand logout 'Forget the ServiceNow login kept for an instance (in every store)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'jira-spoke;servicenow;apply'= {
            cand --instance 'The ServiceNow instance: `acme`, `acme.service-now.com` or its URL. Default: the instance the connection was applied to; else asked at a terminal'
            cand --servicenow-user 'The ServiceNow user to sign in as (its password: JIRA_SPOKE_SERVICENOW_PASSWORD, --servicenow-password-stdin, or a hidden prompt). Default: the login kept by `servicenow login`'
            cand --alias 'Put the connection under this existing alias or child alias (its ID, e.g. one made in Workflow Studio). Default: sn_jira_spoke.Jira for the first Jira site, a child alias of it made for each other site'
            cand -c 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --connection 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --color 'When to use colour. NO_COLOR (any value) turns it off in `auto`'
            cand --auth-url 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)'
            cand --api-url 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)'
            cand --store 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory'
            cand --timeout 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)'
            cand --ca-file 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones'
            cand --servicenow-password-stdin 'Read the ServiceNow password from the first line of stdin'
            cand --dry-run 'Print the plan (create / update field: old → new / unchanged) and write nothing'
            cand --write-secrets 'Write the client secret (or API token) again on records that exist, e.g. after rotating it; secrets are never read back, so this is the only way to push a new one'
            cand --json 'Print results (and errors) as JSON on stdout, for scripts'
            cand -q 'Print only results and errors: no progress or status lines'
            cand --quiet 'Print only results and errors: no progress or status lines'
            cand -v 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand --verbose 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jira-spoke;servicenow;verify'= {
            cand --instance 'The ServiceNow instance: `acme`, `acme.service-now.com` or its URL. Default: the instance the connection was applied to; else asked at a terminal'
            cand --servicenow-user 'The ServiceNow user to sign in as (its password: JIRA_SPOKE_SERVICENOW_PASSWORD, --servicenow-password-stdin, or a hidden prompt). Default: the login kept by `servicenow login`'
            cand --alias 'Put the connection under this existing alias or child alias (its ID, e.g. one made in Workflow Studio). Default: sn_jira_spoke.Jira for the first Jira site, a child alias of it made for each other site'
            cand -c 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --connection 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --color 'When to use colour. NO_COLOR (any value) turns it off in `auto`'
            cand --auth-url 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)'
            cand --api-url 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)'
            cand --store 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory'
            cand --timeout 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)'
            cand --ca-file 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones'
            cand --servicenow-password-stdin 'Read the ServiceNow password from the first line of stdin'
            cand --json 'Print results (and errors) as JSON on stdout, for scripts'
            cand -q 'Print only results and errors: no progress or status lines'
            cand --quiet 'Print only results and errors: no progress or status lines'
            cand -v 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand --verbose 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jira-spoke;servicenow;consent'= {
            cand --instance 'The ServiceNow instance: `acme`, `acme.service-now.com` or its URL. Default: the instance the connection was applied to; else asked at a terminal'
            cand --servicenow-user 'The ServiceNow user to sign in as (its password: JIRA_SPOKE_SERVICENOW_PASSWORD, --servicenow-password-stdin, or a hidden prompt). Default: the login kept by `servicenow login`'
            cand --alias 'Put the connection under this existing alias or child alias (its ID, e.g. one made in Workflow Studio). Default: sn_jira_spoke.Jira for the first Jira site, a child alias of it made for each other site'
            cand --wait 'Seconds to wait for ServiceNow''s token'
            cand -c 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --connection 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --color 'When to use colour. NO_COLOR (any value) turns it off in `auto`'
            cand --auth-url 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)'
            cand --api-url 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)'
            cand --store 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory'
            cand --timeout 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)'
            cand --ca-file 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones'
            cand --servicenow-password-stdin 'Read the ServiceNow password from the first line of stdin'
            cand --no-browser 'Do not open a browser: print the URL to open'
            cand --json 'Print results (and errors) as JSON on stdout, for scripts'
            cand -q 'Print only results and errors: no progress or status lines'
            cand --quiet 'Print only results and errors: no progress or status lines'
            cand -v 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand --verbose 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jira-spoke;servicenow;login'= {
            cand --instance 'The ServiceNow instance: `acme`, `acme.service-now.com` or its URL. Default: the instance the connection was applied to; else asked at a terminal'
            cand --servicenow-user 'The ServiceNow user to sign in as (its password: JIRA_SPOKE_SERVICENOW_PASSWORD, --servicenow-password-stdin, or a hidden prompt). Default: the login kept by `servicenow login`'
            cand --alias 'Put the connection under this existing alias or child alias (its ID, e.g. one made in Workflow Studio). Default: sn_jira_spoke.Jira for the first Jira site, a child alias of it made for each other site'
            cand --oauth-client-id 'Sign in through a browser with this inbound OAuth client of the instance (System OAuth → Application Registry). Its secret, if it has one: JIRA_SPOKE_SERVICENOW_CLIENT_SECRET or a hidden prompt'
            cand --redirect-uri 'The loopback Redirect URL registered on that OAuth client'
            cand -c 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --connection 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --color 'When to use colour. NO_COLOR (any value) turns it off in `auto`'
            cand --auth-url 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)'
            cand --api-url 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)'
            cand --store 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory'
            cand --timeout 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)'
            cand --ca-file 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones'
            cand --servicenow-password-stdin 'Read the ServiceNow password from the first line of stdin'
            cand --no-browser 'Do not open a browser: print the sign-in URL and take the final address pasted back'
            cand --json 'Print results (and errors) as JSON on stdout, for scripts'
            cand -q 'Print only results and errors: no progress or status lines'
            cand --quiet 'Print only results and errors: no progress or status lines'
            cand -v 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand --verbose 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jira-spoke;servicenow;remove'= {
            cand --instance 'The ServiceNow instance: `acme`, `acme.service-now.com` or its URL. Default: the instance the connection was applied to; else asked at a terminal'
            cand --servicenow-user 'The ServiceNow user to sign in as (its password: JIRA_SPOKE_SERVICENOW_PASSWORD, --servicenow-password-stdin, or a hidden prompt). Default: the login kept by `servicenow login`'
            cand --alias 'Put the connection under this existing alias or child alias (its ID, e.g. one made in Workflow Studio). Default: sn_jira_spoke.Jira for the first Jira site, a child alias of it made for each other site'
            cand -c 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --connection 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --color 'When to use colour. NO_COLOR (any value) turns it off in `auto`'
            cand --auth-url 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)'
            cand --api-url 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)'
            cand --store 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory'
            cand --timeout 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)'
            cand --ca-file 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones'
            cand --servicenow-password-stdin 'Read the ServiceNow password from the first line of stdin'
            cand --dry-run 'List what would be deleted and delete nothing'
            cand --json 'Print results (and errors) as JSON on stdout, for scripts'
            cand -q 'Print only results and errors: no progress or status lines'
            cand --quiet 'Print only results and errors: no progress or status lines'
            cand -v 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand --verbose 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jira-spoke;servicenow;logout'= {
            cand --instance 'The ServiceNow instance: `acme`, `acme.service-now.com` or its URL. Default: the instance the connection was applied to'
            cand -c 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --connection 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --color 'When to use colour. NO_COLOR (any value) turns it off in `auto`'
            cand --auth-url 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)'
            cand --api-url 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)'
            cand --store 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory'
            cand --timeout 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)'
            cand --ca-file 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones'
            cand --json 'Print results (and errors) as JSON on stdout, for scripts'
            cand -q 'Print only results and errors: no progress or status lines'
            cand --quiet 'Print only results and errors: no progress or status lines'
            cand -v 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand --verbose 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jira-spoke;servicenow;help'= {
            cand apply 'Create or update the spoke''s records on the instance, idempotently'
            cand verify 'Read the spoke''s records back and check them; exits non-zero on any failure'
            cand consent 'Run the credential''s "Get OAuth Token" and wait until ServiceNow holds a new token'
            cand login 'Sign in to an instance once and keep the login (checked first) in the keyring'
            cand remove 'Delete what `apply` made on the instance for this connection and its Jira site'
            cand logout 'Forget the ServiceNow login kept for an instance (in every store)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'jira-spoke;servicenow;help;apply'= {
        }
        &'jira-spoke;servicenow;help;verify'= {
        }
        &'jira-spoke;servicenow;help;consent'= {
        }
        &'jira-spoke;servicenow;help;login'= {
        }
        &'jira-spoke;servicenow;help;remove'= {
        }
        &'jira-spoke;servicenow;help;logout'= {
        }
        &'jira-spoke;servicenow;help;help'= {
        }
        &'jira-spoke;completions'= {
            cand -c 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --connection 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --color 'When to use colour. NO_COLOR (any value) turns it off in `auto`'
            cand --auth-url 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)'
            cand --api-url 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)'
            cand --store 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory'
            cand --timeout 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)'
            cand --ca-file 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones'
            cand --json 'Print results (and errors) as JSON on stdout, for scripts'
            cand -q 'Print only results and errors: no progress or status lines'
            cand --quiet 'Print only results and errors: no progress or status lines'
            cand -v 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand --verbose 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jira-spoke;man'= {
            cand -c 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --connection 'Name of the stored connection to use (several Jira sites = several connections)'
            cand --color 'When to use colour. NO_COLOR (any value) turns it off in `auto`'
            cand --auth-url 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)'
            cand --api-url 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)'
            cand --store 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory'
            cand --timeout 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)'
            cand --ca-file 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones'
            cand --json 'Print results (and errors) as JSON on stdout, for scripts'
            cand -q 'Print only results and errors: no progress or status lines'
            cand --quiet 'Print only results and errors: no progress or status lines'
            cand -v 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand --verbose 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'jira-spoke;help'= {
            cand setup 'Guided, interactive set-up of a connection: site, app registration, token, keyring, check'
            cand connect 'Create or replace a connection without prompts (for CI and scripts)'
            cand verify 'Check a stored connection end to end and say exactly what to fix'
            cand cloud-id 'Print the Cloud ID of a Jira Cloud site'
            cand token 'Print a valid access token for the connection (refreshing it if needed)'
            cand list 'List stored connections; `*` marks the default one'
            cand use 'Make a stored connection the default (like `gh auth switch`)'
            cand remove 'Delete a stored connection and its secrets'
            cand scopes 'Show the OAuth scopes the ServiceNow Jira spoke needs, grouped as the developer console groups them'
            cand check-app 'Check an OAuth app''s client ID and secret without a browser'
            cand export 'Print what the ServiceNow Jira spoke''s forms need for a stored connection'
            cand servicenow 'Create, check and authorize the ServiceNow Jira spoke''s records for a stored connection'
            cand completions 'Print a shell completion script'
            cand man 'Print jira-spoke''s manual page (roff) on stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'jira-spoke;help;setup'= {
        }
        &'jira-spoke;help;connect'= {
        }
        &'jira-spoke;help;verify'= {
        }
        &'jira-spoke;help;cloud-id'= {
        }
        &'jira-spoke;help;token'= {
        }
        &'jira-spoke;help;list'= {
        }
        &'jira-spoke;help;use'= {
        }
        &'jira-spoke;help;remove'= {
        }
        &'jira-spoke;help;scopes'= {
        }
        &'jira-spoke;help;check-app'= {
        }
        &'jira-spoke;help;export'= {
        }
        &'jira-spoke;help;servicenow'= {
            cand apply 'Create or update the spoke''s records on the instance, idempotently'
            cand verify 'Read the spoke''s records back and check them; exits non-zero on any failure'
            cand consent 'Run the credential''s "Get OAuth Token" and wait until ServiceNow holds a new token'
            cand login 'Sign in to an instance once and keep the login (checked first) in the keyring'
            cand remove 'Delete what `apply` made on the instance for this connection and its Jira site'
            cand logout 'Forget the ServiceNow login kept for an instance (in every store)'
        }
        &'jira-spoke;help;servicenow;apply'= {
        }
        &'jira-spoke;help;servicenow;verify'= {
        }
        &'jira-spoke;help;servicenow;consent'= {
        }
        &'jira-spoke;help;servicenow;login'= {
        }
        &'jira-spoke;help;servicenow;remove'= {
        }
        &'jira-spoke;help;servicenow;logout'= {
        }
        &'jira-spoke;help;completions'= {
        }
        &'jira-spoke;help;man'= {
        }
        &'jira-spoke;help;help'= {
        }
    ]
    $completions[$command]
}
