//! Terminal interaction that is not plain output: progress spinners, prompts
//! (with the setup wizard), a pasted line that can be given up on, and the
//! terminal's modes. Nothing here does HTTP.

pub(crate) mod pasted_line;
pub mod prompt;
pub(crate) mod secret_input;
pub(crate) mod spinner;
pub(crate) mod terminal_modes;

/// True when a browser most likely cannot open here: no `$BROWSER`, and an
/// SSH session, WSL, or (on Linux) no graphical display.
pub fn browser_unlikely() -> bool {
    let set = |name| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    if set("BROWSER") {
        return false;
    }
    let wsl = std::env::var_os("WSL_DISTRO_NAME").is_some();
    let no_display = cfg!(target_os = "linux") && !set("DISPLAY") && !set("WAYLAND_DISPLAY");
    set("SSH_CONNECTION") || wsl || no_display
}
