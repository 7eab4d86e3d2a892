//! The `jira-spoke` binary: everything happens in [`jira_spoke::main_with_args`].

fn main() -> std::process::ExitCode {
    jira_spoke::main_with_args(std::env::args_os())
}
