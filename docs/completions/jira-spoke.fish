# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_jira_spoke_global_optspecs
    string join \n c/connection= json q/quiet v/verbose color= auth-url= api-url= store= timeout= ca-file= h/help V/version
end

function __fish_jira_spoke_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_jira_spoke_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_jira_spoke_using_subcommand
    set -l cmd (__fish_jira_spoke_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c jira-spoke -n "__fish_jira_spoke_needs_command" -s c -l connection -d 'Name of the stored connection to use (several Jira sites = several connections)' -r
complete -c jira-spoke -n "__fish_jira_spoke_needs_command" -l color -d 'When to use colour. NO_COLOR (any value) turns it off in `auto`' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c jira-spoke -n "__fish_jira_spoke_needs_command" -l auth-url -d 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)' -r
complete -c jira-spoke -n "__fish_jira_spoke_needs_command" -l api-url -d 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)' -r
complete -c jira-spoke -n "__fish_jira_spoke_needs_command" -l store -d 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory' -r -f -a "keyring\t'The OS keyring: Secret Service (Linux), Keychain (macOS), Credential Manager (Windows)'
file\t'A plaintext JSON file (mode 0600) in the config directory. Only when asked for'"
complete -c jira-spoke -n "__fish_jira_spoke_needs_command" -l timeout -d 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)' -r
complete -c jira-spoke -n "__fish_jira_spoke_needs_command" -l ca-file -d 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones' -r -F
complete -c jira-spoke -n "__fish_jira_spoke_needs_command" -l json -d 'Print results (and errors) as JSON on stdout, for scripts'
complete -c jira-spoke -n "__fish_jira_spoke_needs_command" -s q -l quiet -d 'Print only results and errors: no progress or status lines'
complete -c jira-spoke -n "__fish_jira_spoke_needs_command" -s v -l verbose -d 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
complete -c jira-spoke -n "__fish_jira_spoke_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jira-spoke -n "__fish_jira_spoke_needs_command" -s V -l version -d 'Print version'
complete -c jira-spoke -n "__fish_jira_spoke_needs_command" -f -a "setup" -d 'Guided, interactive set-up of a connection: site, app registration, token, keyring, check'
complete -c jira-spoke -n "__fish_jira_spoke_needs_command" -f -a "connect" -d 'Create or replace a connection without prompts (for CI and scripts)'
complete -c jira-spoke -n "__fish_jira_spoke_needs_command" -f -a "verify" -d 'Check a stored connection end to end and say exactly what to fix'
complete -c jira-spoke -n "__fish_jira_spoke_needs_command" -f -a "cloud-id" -d 'Print the Cloud ID of a Jira Cloud site'
complete -c jira-spoke -n "__fish_jira_spoke_needs_command" -f -a "token" -d 'Print a valid access token for the connection (refreshing it if needed)'
complete -c jira-spoke -n "__fish_jira_spoke_needs_command" -f -a "list" -d 'List stored connections; `*` marks the default one'
complete -c jira-spoke -n "__fish_jira_spoke_needs_command" -f -a "use" -d 'Make a stored connection the default (like `gh auth switch`)'
complete -c jira-spoke -n "__fish_jira_spoke_needs_command" -f -a "remove" -d 'Delete a stored connection and its secrets'
complete -c jira-spoke -n "__fish_jira_spoke_needs_command" -f -a "scopes" -d 'Show the OAuth scopes the ServiceNow Jira spoke needs, grouped as the developer console groups them'
complete -c jira-spoke -n "__fish_jira_spoke_needs_command" -f -a "check-app" -d 'Check an OAuth app\'s client ID and secret without a browser'
complete -c jira-spoke -n "__fish_jira_spoke_needs_command" -f -a "export" -d 'Print what the ServiceNow Jira spoke\'s forms need for a stored connection'
complete -c jira-spoke -n "__fish_jira_spoke_needs_command" -f -a "servicenow" -d 'Create, check and authorize the ServiceNow Jira spoke\'s records for a stored connection'
complete -c jira-spoke -n "__fish_jira_spoke_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c jira-spoke -n "__fish_jira_spoke_needs_command" -f -a "man" -d 'Print jira-spoke\'s manual page (roff) on stdout'
complete -c jira-spoke -n "__fish_jira_spoke_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand setup" -s c -l connection -d 'Name of the stored connection to use (several Jira sites = several connections)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand setup" -l color -d 'When to use colour. NO_COLOR (any value) turns it off in `auto`' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand setup" -l auth-url -d 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand setup" -l api-url -d 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand setup" -l store -d 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory' -r -f -a "keyring\t'The OS keyring: Secret Service (Linux), Keychain (macOS), Credential Manager (Windows)'
file\t'A plaintext JSON file (mode 0600) in the config directory. Only when asked for'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand setup" -l timeout -d 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand setup" -l ca-file -d 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones' -r -F
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand setup" -l json -d 'Print results (and errors) as JSON on stdout, for scripts'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand setup" -s q -l quiet -d 'Print only results and errors: no progress or status lines'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand setup" -s v -l verbose -d 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand setup" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand setup" -s V -l version -d 'Print version'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand connect" -l grant -d 'How to authenticate' -r -f -a "authorization-code\t'OAuth 2.0 (3LO) Authorization Code: acts as a user, needs a browser once'
client-credentials\t'OAuth 2.0 Client Credentials: a service account, for CI and integrations'
api-token\t'Basic auth with an Atlassian account\'s API token (legacy)'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand connect" -l site -d 'The Jira site: `acme`, `acme.atlassian.net`, `https://acme.atlassian.net`' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand connect" -l cloud-id -d 'The site\'s Cloud ID, when known (`jira-spoke cloud-id` finds it)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand connect" -l client-id -d 'OAuth client ID: developer console → your app → Settings, or the service account\'s credential' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand connect" -l scopes -d 'Scopes to request, separated by spaces or commas (default: the ServiceNow Jira spoke set; `offline_access` is added for authorization code)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand connect" -l redirect-uri -d 'The callback URL registered in the developer console, exactly (authorization code)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand connect" -l callback-timeout -d 'Seconds to wait for the browser to come back with consent (1 to 3600)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand connect" -l email -d 'Atlassian account e-mail (API token)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand connect" -l api-version -d 'Jira REST API version used for checks (the ServiceNow spoke uses 2)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand connect" -l authorize-url -d 'Authorization URL (default: <auth-url>/authorize)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand connect" -l token-url -d 'Token URL (default: <auth-url>/oauth/token)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand connect" -l refresh-url -d 'Refresh token URL (default: the token URL)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand connect" -l revocation-url -d 'Token revocation URL (default: the token URL)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand connect" -l token-body -d 'How token requests are encoded: `form` (application/x-www-form-urlencoded, as RFC 6749 and every OAuth 2.0 server expect; Atlassian accepts it) or `json`, the form Atlassian\'s docs show' -r -f -a "form\t'`application/x-www-form-urlencoded`: RFC 6749 §4.1.3, §4.4.2 and §6, what the `oauth2` crate, Go\'s x/oauth2, passport and next-auth send to auth.atlassian.com, and the only body standard OAuth servers accept'
json\t'A JSON object, the form Atlassian\'s 3LO page shows'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand connect" -s c -l connection -d 'Name of the stored connection to use (several Jira sites = several connections)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand connect" -l color -d 'When to use colour. NO_COLOR (any value) turns it off in `auto`' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand connect" -l auth-url -d 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand connect" -l api-url -d 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand connect" -l store -d 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory' -r -f -a "keyring\t'The OS keyring: Secret Service (Linux), Keychain (macOS), Credential Manager (Windows)'
file\t'A plaintext JSON file (mode 0600) in the config directory. Only when asked for'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand connect" -l timeout -d 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand connect" -l ca-file -d 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones' -r -F
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand connect" -l client-secret-stdin -d 'Read the OAuth client secret from the first line of stdin (otherwise from JIRA_SPOKE_CLIENT_SECRET, or a hidden prompt)'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand connect" -l no-browser -d 'Do not open a browser: print the consent URL; on a terminal you may paste the final URL back'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand connect" -l api-token-stdin -d 'Read the API token from the first line of stdin (otherwise from JIRA_SPOKE_API_TOKEN, or a hidden prompt)'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand connect" -l replace-site -d 'Replace a connection whose ServiceNow records serve another Jira site without asking (needed without a terminal). The records stay and keep serving their site'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand connect" -l json -d 'Print results (and errors) as JSON on stdout, for scripts'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand connect" -s q -l quiet -d 'Print only results and errors: no progress or status lines'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand connect" -s v -l verbose -d 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand connect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand connect" -s V -l version -d 'Print version'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand verify" -s c -l connection -d 'Name of the stored connection to use (several Jira sites = several connections)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand verify" -l color -d 'When to use colour. NO_COLOR (any value) turns it off in `auto`' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand verify" -l auth-url -d 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand verify" -l api-url -d 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand verify" -l store -d 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory' -r -f -a "keyring\t'The OS keyring: Secret Service (Linux), Keychain (macOS), Credential Manager (Windows)'
file\t'A plaintext JSON file (mode 0600) in the config directory. Only when asked for'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand verify" -l timeout -d 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand verify" -l ca-file -d 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones' -r -F
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand verify" -l all -d 'Verify every stored connection (concurrently): one line for each that passed, every check and hint for each that failed (one line for one that failed just as an earlier one did), and a last line naming the ones that failed (`verify -c NAME` or `--json` shows every check of each)'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand verify" -l json -d 'Print results (and errors) as JSON on stdout, for scripts'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand verify" -s q -l quiet -d 'Print only results and errors: no progress or status lines'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand verify" -s v -l verbose -d 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand verify" -s V -l version -d 'Print version'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand cloud-id" -s c -l connection -d 'Name of the stored connection to use (several Jira sites = several connections)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand cloud-id" -l color -d 'When to use colour. NO_COLOR (any value) turns it off in `auto`' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand cloud-id" -l auth-url -d 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand cloud-id" -l api-url -d 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand cloud-id" -l store -d 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory' -r -f -a "keyring\t'The OS keyring: Secret Service (Linux), Keychain (macOS), Credential Manager (Windows)'
file\t'A plaintext JSON file (mode 0600) in the config directory. Only when asked for'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand cloud-id" -l timeout -d 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand cloud-id" -l ca-file -d 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones' -r -F
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand cloud-id" -l json -d 'Print results (and errors) as JSON on stdout, for scripts'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand cloud-id" -s q -l quiet -d 'Print only results and errors: no progress or status lines'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand cloud-id" -s v -l verbose -d 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand cloud-id" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand cloud-id" -s V -l version -d 'Print version'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand token" -s c -l connection -d 'Name of the stored connection to use (several Jira sites = several connections)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand token" -l color -d 'When to use colour. NO_COLOR (any value) turns it off in `auto`' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand token" -l auth-url -d 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand token" -l api-url -d 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand token" -l store -d 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory' -r -f -a "keyring\t'The OS keyring: Secret Service (Linux), Keychain (macOS), Credential Manager (Windows)'
file\t'A plaintext JSON file (mode 0600) in the config directory. Only when asked for'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand token" -l timeout -d 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand token" -l ca-file -d 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones' -r -F
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand token" -l json -d 'Print results (and errors) as JSON on stdout, for scripts'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand token" -s q -l quiet -d 'Print only results and errors: no progress or status lines'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand token" -s v -l verbose -d 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand token" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand token" -s V -l version -d 'Print version'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand list" -s c -l connection -d 'Name of the stored connection to use (several Jira sites = several connections)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand list" -l color -d 'When to use colour. NO_COLOR (any value) turns it off in `auto`' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand list" -l auth-url -d 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand list" -l api-url -d 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand list" -l store -d 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory' -r -f -a "keyring\t'The OS keyring: Secret Service (Linux), Keychain (macOS), Credential Manager (Windows)'
file\t'A plaintext JSON file (mode 0600) in the config directory. Only when asked for'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand list" -l timeout -d 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand list" -l ca-file -d 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones' -r -F
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand list" -l json -d 'Print results (and errors) as JSON on stdout, for scripts'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand list" -s q -l quiet -d 'Print only results and errors: no progress or status lines'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand list" -s v -l verbose -d 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand list" -s V -l version -d 'Print version'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand use" -s c -l connection -d 'Name of the stored connection to use (several Jira sites = several connections)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand use" -l color -d 'When to use colour. NO_COLOR (any value) turns it off in `auto`' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand use" -l auth-url -d 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand use" -l api-url -d 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand use" -l store -d 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory' -r -f -a "keyring\t'The OS keyring: Secret Service (Linux), Keychain (macOS), Credential Manager (Windows)'
file\t'A plaintext JSON file (mode 0600) in the config directory. Only when asked for'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand use" -l timeout -d 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand use" -l ca-file -d 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones' -r -F
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand use" -l json -d 'Print results (and errors) as JSON on stdout, for scripts'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand use" -s q -l quiet -d 'Print only results and errors: no progress or status lines'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand use" -s v -l verbose -d 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand use" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand use" -s V -l version -d 'Print version'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand remove" -s c -l connection -d 'Name of the stored connection to use (several Jira sites = several connections)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand remove" -l color -d 'When to use colour. NO_COLOR (any value) turns it off in `auto`' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand remove" -l auth-url -d 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand remove" -l api-url -d 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand remove" -l store -d 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory' -r -f -a "keyring\t'The OS keyring: Secret Service (Linux), Keychain (macOS), Credential Manager (Windows)'
file\t'A plaintext JSON file (mode 0600) in the config directory. Only when asked for'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand remove" -l timeout -d 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand remove" -l ca-file -d 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones' -r -F
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand remove" -l json -d 'Print results (and errors) as JSON on stdout, for scripts'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand remove" -s q -l quiet -d 'Print only results and errors: no progress or status lines'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand remove" -s v -l verbose -d 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand remove" -s V -l version -d 'Print version'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand scopes" -l grant -d 'Show the set for this grant: authorization-code adds `offline_access`' -r -f -a "authorization-code\t'OAuth 2.0 (3LO) Authorization Code: acts as a user, needs a browser once'
client-credentials\t'OAuth 2.0 Client Credentials: a service account, for CI and integrations'
api-token\t'Basic auth with an Atlassian account\'s API token (legacy)'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand scopes" -s c -l connection -d 'Name of the stored connection to use (several Jira sites = several connections)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand scopes" -l color -d 'When to use colour. NO_COLOR (any value) turns it off in `auto`' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand scopes" -l auth-url -d 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand scopes" -l api-url -d 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand scopes" -l store -d 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory' -r -f -a "keyring\t'The OS keyring: Secret Service (Linux), Keychain (macOS), Credential Manager (Windows)'
file\t'A plaintext JSON file (mode 0600) in the config directory. Only when asked for'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand scopes" -l timeout -d 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand scopes" -l ca-file -d 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones' -r -F
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand scopes" -l json -d 'Print results (and errors) as JSON on stdout, for scripts'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand scopes" -s q -l quiet -d 'Print only results and errors: no progress or status lines'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand scopes" -s v -l verbose -d 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand scopes" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand scopes" -s V -l version -d 'Print version'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand check-app" -l client-id -d 'The OAuth client ID to check' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand check-app" -l token-url -d 'Token URL (default: <auth-url>/oauth/token)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand check-app" -l token-body -d 'How token requests are encoded: `form` (RFC 6749) or `json` (as Atlassian\'s docs show)' -r -f -a "form\t'`application/x-www-form-urlencoded`: RFC 6749 §4.1.3, §4.4.2 and §6, what the `oauth2` crate, Go\'s x/oauth2, passport and next-auth send to auth.atlassian.com, and the only body standard OAuth servers accept'
json\t'A JSON object, the form Atlassian\'s 3LO page shows'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand check-app" -s c -l connection -d 'Name of the stored connection to use (several Jira sites = several connections)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand check-app" -l color -d 'When to use colour. NO_COLOR (any value) turns it off in `auto`' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand check-app" -l auth-url -d 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand check-app" -l api-url -d 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand check-app" -l store -d 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory' -r -f -a "keyring\t'The OS keyring: Secret Service (Linux), Keychain (macOS), Credential Manager (Windows)'
file\t'A plaintext JSON file (mode 0600) in the config directory. Only when asked for'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand check-app" -l timeout -d 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand check-app" -l ca-file -d 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones' -r -F
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand check-app" -l client-secret-stdin -d 'Read the client secret from stdin (otherwise JIRA_SPOKE_CLIENT_SECRET, or a hidden prompt)'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand check-app" -l json -d 'Print results (and errors) as JSON on stdout, for scripts'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand check-app" -s q -l quiet -d 'Print only results and errors: no progress or status lines'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand check-app" -s v -l verbose -d 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand check-app" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand check-app" -s V -l version -d 'Print version'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand export" -l target -d 'The integration whose forms to fill' -r -f -a "servicenow\t'The ServiceNow Jira spoke (Integration Hub)'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand export" -l instance -d 'The ServiceNow instance (`acme`, `acme.service-now.com` or its URL), for the OAuth redirect URL' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand export" -l out -d 'With --reveal: the file to create for the export with secrets (must not exist)' -r -F
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand export" -s c -l connection -d 'Name of the stored connection to use (several Jira sites = several connections)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand export" -l color -d 'When to use colour. NO_COLOR (any value) turns it off in `auto`' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand export" -l auth-url -d 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand export" -l api-url -d 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand export" -l store -d 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory' -r -f -a "keyring\t'The OS keyring: Secret Service (Linux), Keychain (macOS), Credential Manager (Windows)'
file\t'A plaintext JSON file (mode 0600) in the config directory. Only when asked for'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand export" -l timeout -d 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand export" -l ca-file -d 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones' -r -F
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand export" -l reveal -d 'Include the secrets, written only to the new file given by --out (mode 0600)'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand export" -l json -d 'Print results (and errors) as JSON on stdout, for scripts'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand export" -s q -l quiet -d 'Print only results and errors: no progress or status lines'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand export" -s v -l verbose -d 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand export" -s V -l version -d 'Print version'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and not __fish_seen_subcommand_from apply verify consent login remove logout help" -s c -l connection -d 'Name of the stored connection to use (several Jira sites = several connections)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and not __fish_seen_subcommand_from apply verify consent login remove logout help" -l color -d 'When to use colour. NO_COLOR (any value) turns it off in `auto`' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and not __fish_seen_subcommand_from apply verify consent login remove logout help" -l auth-url -d 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and not __fish_seen_subcommand_from apply verify consent login remove logout help" -l api-url -d 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and not __fish_seen_subcommand_from apply verify consent login remove logout help" -l store -d 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory' -r -f -a "keyring\t'The OS keyring: Secret Service (Linux), Keychain (macOS), Credential Manager (Windows)'
file\t'A plaintext JSON file (mode 0600) in the config directory. Only when asked for'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and not __fish_seen_subcommand_from apply verify consent login remove logout help" -l timeout -d 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and not __fish_seen_subcommand_from apply verify consent login remove logout help" -l ca-file -d 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones' -r -F
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and not __fish_seen_subcommand_from apply verify consent login remove logout help" -l json -d 'Print results (and errors) as JSON on stdout, for scripts'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and not __fish_seen_subcommand_from apply verify consent login remove logout help" -s q -l quiet -d 'Print only results and errors: no progress or status lines'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and not __fish_seen_subcommand_from apply verify consent login remove logout help" -s v -l verbose -d 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and not __fish_seen_subcommand_from apply verify consent login remove logout help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and not __fish_seen_subcommand_from apply verify consent login remove logout help" -s V -l version -d 'Print version'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and not __fish_seen_subcommand_from apply verify consent login remove logout help" -f -a "apply" -d 'Create or update the spoke\'s records on the instance, idempotently'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and not __fish_seen_subcommand_from apply verify consent login remove logout help" -f -a "verify" -d 'Read the spoke\'s records back and check them; exits non-zero on any failure'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and not __fish_seen_subcommand_from apply verify consent login remove logout help" -f -a "consent" -d 'Run the credential\'s "Get OAuth Token" and wait until ServiceNow holds a new token'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and not __fish_seen_subcommand_from apply verify consent login remove logout help" -f -a "login" -d 'Sign in to an instance once and keep the login (checked first) in the keyring'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and not __fish_seen_subcommand_from apply verify consent login remove logout help" -f -a "remove" -d 'Delete what `apply` made on the instance for this connection and its Jira site'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and not __fish_seen_subcommand_from apply verify consent login remove logout help" -f -a "logout" -d 'Forget the ServiceNow login kept for an instance (in every store)'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and not __fish_seen_subcommand_from apply verify consent login remove logout help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from apply" -l instance -d 'The ServiceNow instance: `acme`, `acme.service-now.com` or its URL. Default: the instance the connection was applied to; else asked at a terminal' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from apply" -l servicenow-user -d 'The ServiceNow user to sign in as (its password: JIRA_SPOKE_SERVICENOW_PASSWORD, --servicenow-password-stdin, or a hidden prompt). Default: the login kept by `servicenow login`' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from apply" -l alias -d 'Put the connection under this existing alias or child alias (its ID, e.g. one made in Workflow Studio). Default: sn_jira_spoke.Jira for the first Jira site, a child alias of it made for each other site' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from apply" -s c -l connection -d 'Name of the stored connection to use (several Jira sites = several connections)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from apply" -l color -d 'When to use colour. NO_COLOR (any value) turns it off in `auto`' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from apply" -l auth-url -d 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from apply" -l api-url -d 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from apply" -l store -d 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory' -r -f -a "keyring\t'The OS keyring: Secret Service (Linux), Keychain (macOS), Credential Manager (Windows)'
file\t'A plaintext JSON file (mode 0600) in the config directory. Only when asked for'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from apply" -l timeout -d 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from apply" -l ca-file -d 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones' -r -F
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from apply" -l servicenow-password-stdin -d 'Read the ServiceNow password from the first line of stdin'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from apply" -l dry-run -d 'Print the plan (create / update field: old → new / unchanged) and write nothing'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from apply" -l write-secrets -d 'Write the client secret (or API token) again on records that exist, e.g. after rotating it; secrets are never read back, so this is the only way to push a new one'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from apply" -l json -d 'Print results (and errors) as JSON on stdout, for scripts'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from apply" -s q -l quiet -d 'Print only results and errors: no progress or status lines'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from apply" -s v -l verbose -d 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from apply" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from apply" -s V -l version -d 'Print version'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from verify" -l instance -d 'The ServiceNow instance: `acme`, `acme.service-now.com` or its URL. Default: the instance the connection was applied to; else asked at a terminal' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from verify" -l servicenow-user -d 'The ServiceNow user to sign in as (its password: JIRA_SPOKE_SERVICENOW_PASSWORD, --servicenow-password-stdin, or a hidden prompt). Default: the login kept by `servicenow login`' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from verify" -l alias -d 'Put the connection under this existing alias or child alias (its ID, e.g. one made in Workflow Studio). Default: sn_jira_spoke.Jira for the first Jira site, a child alias of it made for each other site' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from verify" -s c -l connection -d 'Name of the stored connection to use (several Jira sites = several connections)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from verify" -l color -d 'When to use colour. NO_COLOR (any value) turns it off in `auto`' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from verify" -l auth-url -d 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from verify" -l api-url -d 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from verify" -l store -d 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory' -r -f -a "keyring\t'The OS keyring: Secret Service (Linux), Keychain (macOS), Credential Manager (Windows)'
file\t'A plaintext JSON file (mode 0600) in the config directory. Only when asked for'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from verify" -l timeout -d 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from verify" -l ca-file -d 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones' -r -F
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from verify" -l servicenow-password-stdin -d 'Read the ServiceNow password from the first line of stdin'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from verify" -l json -d 'Print results (and errors) as JSON on stdout, for scripts'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from verify" -s q -l quiet -d 'Print only results and errors: no progress or status lines'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from verify" -s v -l verbose -d 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from verify" -s V -l version -d 'Print version'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from consent" -l instance -d 'The ServiceNow instance: `acme`, `acme.service-now.com` or its URL. Default: the instance the connection was applied to; else asked at a terminal' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from consent" -l servicenow-user -d 'The ServiceNow user to sign in as (its password: JIRA_SPOKE_SERVICENOW_PASSWORD, --servicenow-password-stdin, or a hidden prompt). Default: the login kept by `servicenow login`' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from consent" -l alias -d 'Put the connection under this existing alias or child alias (its ID, e.g. one made in Workflow Studio). Default: sn_jira_spoke.Jira for the first Jira site, a child alias of it made for each other site' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from consent" -l wait -d 'Seconds to wait for ServiceNow\'s token' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from consent" -s c -l connection -d 'Name of the stored connection to use (several Jira sites = several connections)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from consent" -l color -d 'When to use colour. NO_COLOR (any value) turns it off in `auto`' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from consent" -l auth-url -d 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from consent" -l api-url -d 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from consent" -l store -d 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory' -r -f -a "keyring\t'The OS keyring: Secret Service (Linux), Keychain (macOS), Credential Manager (Windows)'
file\t'A plaintext JSON file (mode 0600) in the config directory. Only when asked for'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from consent" -l timeout -d 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from consent" -l ca-file -d 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones' -r -F
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from consent" -l servicenow-password-stdin -d 'Read the ServiceNow password from the first line of stdin'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from consent" -l no-browser -d 'Do not open a browser: print the URL to open'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from consent" -l json -d 'Print results (and errors) as JSON on stdout, for scripts'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from consent" -s q -l quiet -d 'Print only results and errors: no progress or status lines'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from consent" -s v -l verbose -d 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from consent" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from consent" -s V -l version -d 'Print version'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from login" -l instance -d 'The ServiceNow instance: `acme`, `acme.service-now.com` or its URL. Default: the instance the connection was applied to; else asked at a terminal' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from login" -l servicenow-user -d 'The ServiceNow user to sign in as (its password: JIRA_SPOKE_SERVICENOW_PASSWORD, --servicenow-password-stdin, or a hidden prompt). Default: the login kept by `servicenow login`' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from login" -l alias -d 'Put the connection under this existing alias or child alias (its ID, e.g. one made in Workflow Studio). Default: sn_jira_spoke.Jira for the first Jira site, a child alias of it made for each other site' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from login" -l oauth-client-id -d 'Sign in through a browser with this inbound OAuth client of the instance (System OAuth → Application Registry). Its secret, if it has one: JIRA_SPOKE_SERVICENOW_CLIENT_SECRET or a hidden prompt' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from login" -l redirect-uri -d 'The loopback Redirect URL registered on that OAuth client' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from login" -s c -l connection -d 'Name of the stored connection to use (several Jira sites = several connections)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from login" -l color -d 'When to use colour. NO_COLOR (any value) turns it off in `auto`' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from login" -l auth-url -d 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from login" -l api-url -d 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from login" -l store -d 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory' -r -f -a "keyring\t'The OS keyring: Secret Service (Linux), Keychain (macOS), Credential Manager (Windows)'
file\t'A plaintext JSON file (mode 0600) in the config directory. Only when asked for'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from login" -l timeout -d 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from login" -l ca-file -d 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones' -r -F
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from login" -l servicenow-password-stdin -d 'Read the ServiceNow password from the first line of stdin'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from login" -l no-browser -d 'Do not open a browser: print the sign-in URL and take the final address pasted back'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from login" -l json -d 'Print results (and errors) as JSON on stdout, for scripts'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from login" -s q -l quiet -d 'Print only results and errors: no progress or status lines'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from login" -s v -l verbose -d 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from login" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from login" -s V -l version -d 'Print version'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from remove" -l instance -d 'The ServiceNow instance: `acme`, `acme.service-now.com` or its URL. Default: the instance the connection was applied to; else asked at a terminal' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from remove" -l servicenow-user -d 'The ServiceNow user to sign in as (its password: JIRA_SPOKE_SERVICENOW_PASSWORD, --servicenow-password-stdin, or a hidden prompt). Default: the login kept by `servicenow login`' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from remove" -l alias -d 'Put the connection under this existing alias or child alias (its ID, e.g. one made in Workflow Studio). Default: sn_jira_spoke.Jira for the first Jira site, a child alias of it made for each other site' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from remove" -s c -l connection -d 'Name of the stored connection to use (several Jira sites = several connections)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from remove" -l color -d 'When to use colour. NO_COLOR (any value) turns it off in `auto`' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from remove" -l auth-url -d 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from remove" -l api-url -d 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from remove" -l store -d 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory' -r -f -a "keyring\t'The OS keyring: Secret Service (Linux), Keychain (macOS), Credential Manager (Windows)'
file\t'A plaintext JSON file (mode 0600) in the config directory. Only when asked for'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from remove" -l timeout -d 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from remove" -l ca-file -d 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones' -r -F
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from remove" -l servicenow-password-stdin -d 'Read the ServiceNow password from the first line of stdin'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from remove" -l dry-run -d 'List what would be deleted and delete nothing'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from remove" -l json -d 'Print results (and errors) as JSON on stdout, for scripts'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Print only results and errors: no progress or status lines'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from remove" -s v -l verbose -d 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from logout" -l instance -d 'The ServiceNow instance: `acme`, `acme.service-now.com` or its URL. Default: the instance the connection was applied to' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from logout" -s c -l connection -d 'Name of the stored connection to use (several Jira sites = several connections)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from logout" -l color -d 'When to use colour. NO_COLOR (any value) turns it off in `auto`' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from logout" -l auth-url -d 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from logout" -l api-url -d 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from logout" -l store -d 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory' -r -f -a "keyring\t'The OS keyring: Secret Service (Linux), Keychain (macOS), Credential Manager (Windows)'
file\t'A plaintext JSON file (mode 0600) in the config directory. Only when asked for'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from logout" -l timeout -d 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from logout" -l ca-file -d 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones' -r -F
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from logout" -l json -d 'Print results (and errors) as JSON on stdout, for scripts'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from logout" -s q -l quiet -d 'Print only results and errors: no progress or status lines'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from logout" -s v -l verbose -d 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from logout" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from logout" -s V -l version -d 'Print version'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from help" -f -a "apply" -d 'Create or update the spoke\'s records on the instance, idempotently'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Read the spoke\'s records back and check them; exits non-zero on any failure'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from help" -f -a "consent" -d 'Run the credential\'s "Get OAuth Token" and wait until ServiceNow holds a new token'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from help" -f -a "login" -d 'Sign in to an instance once and keep the login (checked first) in the keyring'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Delete what `apply` made on the instance for this connection and its Jira site'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from help" -f -a "logout" -d 'Forget the ServiceNow login kept for an instance (in every store)'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand servicenow; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand completions" -s c -l connection -d 'Name of the stored connection to use (several Jira sites = several connections)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand completions" -l color -d 'When to use colour. NO_COLOR (any value) turns it off in `auto`' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand completions" -l auth-url -d 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand completions" -l api-url -d 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand completions" -l store -d 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory' -r -f -a "keyring\t'The OS keyring: Secret Service (Linux), Keychain (macOS), Credential Manager (Windows)'
file\t'A plaintext JSON file (mode 0600) in the config directory. Only when asked for'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand completions" -l timeout -d 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand completions" -l ca-file -d 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones' -r -F
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand completions" -l json -d 'Print results (and errors) as JSON on stdout, for scripts'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand completions" -s q -l quiet -d 'Print only results and errors: no progress or status lines'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand completions" -s v -l verbose -d 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand completions" -s V -l version -d 'Print version'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand man" -s c -l connection -d 'Name of the stored connection to use (several Jira sites = several connections)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand man" -l color -d 'When to use colour. NO_COLOR (any value) turns it off in `auto`' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand man" -l auth-url -d 'Base URL of the Atlassian authorization server (`/authorize`, `/oauth/token` below it)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand man" -l api-url -d 'Base URL of the Atlassian API gateway (`/oauth/token/accessible-resources`, `/ex/jira/<cloud-id>`)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand man" -l store -d 'Where to keep secrets: the OS keyring (default), or a plaintext 0600 file in the config directory' -r -f -a "keyring\t'The OS keyring: Secret Service (Linux), Keychain (macOS), Credential Manager (Windows)'
file\t'A plaintext JSON file (mode 0600) in the config directory. Only when asked for'"
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand man" -l timeout -d 'Seconds any one request to Atlassian may take, from connecting to the last byte, 429/503 retries and their Retry-After waits included (1 to 3600)' -r
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand man" -l ca-file -d 'A PEM file of certificate authorities to trust for HTTPS, besides the built-in ones' -r -F
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand man" -l json -d 'Print results (and errors) as JSON on stdout, for scripts'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand man" -s q -l quiet -d 'Print only results and errors: no progress or status lines'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand man" -s v -l verbose -d 'Explain what is happening on stderr (-v: requests, -vv: details), in place of progress spinners. Secrets are never logged'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand man" -s V -l version -d 'Print version'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand help; and not __fish_seen_subcommand_from setup connect verify cloud-id token list use remove scopes check-app export servicenow completions man help" -f -a "setup" -d 'Guided, interactive set-up of a connection: site, app registration, token, keyring, check'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand help; and not __fish_seen_subcommand_from setup connect verify cloud-id token list use remove scopes check-app export servicenow completions man help" -f -a "connect" -d 'Create or replace a connection without prompts (for CI and scripts)'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand help; and not __fish_seen_subcommand_from setup connect verify cloud-id token list use remove scopes check-app export servicenow completions man help" -f -a "verify" -d 'Check a stored connection end to end and say exactly what to fix'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand help; and not __fish_seen_subcommand_from setup connect verify cloud-id token list use remove scopes check-app export servicenow completions man help" -f -a "cloud-id" -d 'Print the Cloud ID of a Jira Cloud site'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand help; and not __fish_seen_subcommand_from setup connect verify cloud-id token list use remove scopes check-app export servicenow completions man help" -f -a "token" -d 'Print a valid access token for the connection (refreshing it if needed)'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand help; and not __fish_seen_subcommand_from setup connect verify cloud-id token list use remove scopes check-app export servicenow completions man help" -f -a "list" -d 'List stored connections; `*` marks the default one'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand help; and not __fish_seen_subcommand_from setup connect verify cloud-id token list use remove scopes check-app export servicenow completions man help" -f -a "use" -d 'Make a stored connection the default (like `gh auth switch`)'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand help; and not __fish_seen_subcommand_from setup connect verify cloud-id token list use remove scopes check-app export servicenow completions man help" -f -a "remove" -d 'Delete a stored connection and its secrets'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand help; and not __fish_seen_subcommand_from setup connect verify cloud-id token list use remove scopes check-app export servicenow completions man help" -f -a "scopes" -d 'Show the OAuth scopes the ServiceNow Jira spoke needs, grouped as the developer console groups them'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand help; and not __fish_seen_subcommand_from setup connect verify cloud-id token list use remove scopes check-app export servicenow completions man help" -f -a "check-app" -d 'Check an OAuth app\'s client ID and secret without a browser'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand help; and not __fish_seen_subcommand_from setup connect verify cloud-id token list use remove scopes check-app export servicenow completions man help" -f -a "export" -d 'Print what the ServiceNow Jira spoke\'s forms need for a stored connection'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand help; and not __fish_seen_subcommand_from setup connect verify cloud-id token list use remove scopes check-app export servicenow completions man help" -f -a "servicenow" -d 'Create, check and authorize the ServiceNow Jira spoke\'s records for a stored connection'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand help; and not __fish_seen_subcommand_from setup connect verify cloud-id token list use remove scopes check-app export servicenow completions man help" -f -a "completions" -d 'Print a shell completion script'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand help; and not __fish_seen_subcommand_from setup connect verify cloud-id token list use remove scopes check-app export servicenow completions man help" -f -a "man" -d 'Print jira-spoke\'s manual page (roff) on stdout'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand help; and not __fish_seen_subcommand_from setup connect verify cloud-id token list use remove scopes check-app export servicenow completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand help; and __fish_seen_subcommand_from servicenow" -f -a "apply" -d 'Create or update the spoke\'s records on the instance, idempotently'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand help; and __fish_seen_subcommand_from servicenow" -f -a "verify" -d 'Read the spoke\'s records back and check them; exits non-zero on any failure'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand help; and __fish_seen_subcommand_from servicenow" -f -a "consent" -d 'Run the credential\'s "Get OAuth Token" and wait until ServiceNow holds a new token'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand help; and __fish_seen_subcommand_from servicenow" -f -a "login" -d 'Sign in to an instance once and keep the login (checked first) in the keyring'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand help; and __fish_seen_subcommand_from servicenow" -f -a "remove" -d 'Delete what `apply` made on the instance for this connection and its Jira site'
complete -c jira-spoke -n "__fish_jira_spoke_using_subcommand help; and __fish_seen_subcommand_from servicenow" -f -a "logout" -d 'Forget the ServiceNow login kept for an instance (in every store)'
