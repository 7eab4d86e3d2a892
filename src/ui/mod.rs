//! Terminal interaction that is not plain output: progress spinners (and, with
//! the setup wizard, prompts). Nothing here does HTTP.

pub mod prompt;
pub mod secret_input;
pub mod spinner;
