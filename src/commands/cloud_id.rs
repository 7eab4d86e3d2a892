//! `jira-spoke cloud-id SITE`: the Cloud ID alone on stdout, or
//! `{"site":…,"cloud_id":…}` with `--json`.

use crate::commands::Context;
use std::fmt;

use serde::Serialize;

use crate::atlassian::{SiteInput, cloud_id};
use crate::error::Result;
use crate::http::safe_url;
use crate::ui::spinner::Spinner;

/// The answer to `cloud-id`.
#[derive(Debug, Serialize)]
pub(super) struct CloudIdReport {
    /// The site looked up, or `null` when the Cloud ID was given or read offline.
    pub site: Option<String>,
    /// The Cloud ID.
    pub cloud_id: String,
}

impl fmt::Display for CloudIdReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.cloud_id)
    }
}

/// Parses `site`, looks it up if needed, and prints the Cloud ID.
pub(super) async fn run(site: &str, ctx: &Context<'_>) -> Result<()> {
    let Context {
        http,
        printer,
        spin,
        ..
    } = ctx;
    let spin = *spin;

    let input = SiteInput::parse(site)?;
    let shown = match &input {
        SiteInput::Site(url) => Some(safe_url(url)),
        SiteInput::CloudId(_) => None,
    };
    let id = {
        let message = format!(
            "Looking up the Cloud ID of {}",
            shown.as_deref().unwrap_or("?")
        );
        let _spinner = Spinner::start(message, spin && shown.is_some());
        cloud_id::resolve(http, &input).await?
    };
    printer.out(&CloudIdReport {
        site: shown,
        cloud_id: id.to_string(),
    });
    Ok(())
}
