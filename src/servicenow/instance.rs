//! [`Instance`]: the ServiceNow instance as the admin names it (`acme`,
//! `acme.service-now.com` or a URL), and every URL jira-spoke builds on it.
//!
//! The instance URL is itself the override: tests point it at a loopback
//! fake (`http://127.0.0.1:PORT`); plain `http://` is refused elsewhere.

use std::fmt;

use url::Url;

use crate::atlassian::endpoints::{join, parse_endpoint_url};
use crate::error::{Error, Result};

/// The domain of ServiceNow-hosted instances.
const HOSTED_DOMAIN: &str = "service-now.com";

/// A ServiceNow instance: its base URL, with no path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Instance {
    base: Url,
}

impl Instance {
    /// Parses `acme`, `acme.service-now.com`, `https://acme.service-now.com/…`
    /// (the path is dropped), or a loopback `http://` URL.
    pub(crate) fn parse(input: &str) -> Result<Instance> {
        let trimmed = input.trim();
        let invalid = || {
            Error::usage(
                format!("`{input}` is not a ServiceNow instance"),
                "give the instance as `acme`, `acme.service-now.com` or `https://acme.service-now.com`",
            )
        };
        let url = if trimmed.contains("://") {
            parse_endpoint_url("--instance", trimmed)?
        } else {
            let host = trimmed.trim_end_matches('/').to_ascii_lowercase();
            let host = if host.contains('.') {
                host
            } else {
                format!("{host}.{HOSTED_DOMAIN}")
            };
            // NOTE: DNS limits a label to 63 characters and a name to 253;
            // past them the instance cannot exist, so it is a typing mistake.
            let ok = !host.starts_with('.')
                && host.len() <= 253
                && host.split('.').all(|label| label.len() <= 63)
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
            if !ok {
                return Err(invalid());
            }
            Url::parse(&format!("https://{host}")).map_err(|_| invalid())?
        };
        let mut base = url;
        base.set_path("");
        base.set_query(None);
        base.set_fragment(None);
        Ok(Instance { base })
    }

    /// `https://acme.service-now.com` (no trailing slash).
    pub(crate) fn url(&self) -> String {
        self.base.as_str().trim_end_matches('/').to_owned()
    }

    /// How to name the instance on a command line: `acme` for
    /// `https://acme.service-now.com`, else its URL.
    pub(crate) fn arg(&self) -> String {
        let host = self.base.host_str().unwrap_or_default();
        match host.strip_suffix(&format!(".{HOSTED_DOMAIN}")) {
            Some(name)
                if self.base.scheme() == "https"
                    && self.base.port().is_none()
                    && !name.contains('.') =>
            {
                name.to_owned()
            }
            _ => self.url(),
        }
    }

    /// The host (and port), as messages name the instance.
    pub(crate) fn host(&self) -> String {
        match self.base.port() {
            Some(port) => format!("{}:{port}", self.base.host_str().unwrap_or_default()),
            None => self.base.host_str().unwrap_or_default().to_owned(),
        }
    }

    /// `…/api/now/table/<table>`: the Table API, unversioned (v2 behaviour:
    /// an empty result is 200 `[]`, not 404 as in v1).
    pub(crate) fn table_url(&self, table: &str) -> Url {
        join(&self.base, &format!("api/now/table/{table}"))
    }

    /// `…/api/now/table/<table>/<sys_id>`.
    pub(crate) fn record_url(&self, table: &str, sys_id: &str) -> Url {
        join(&self.base, &format!("api/now/table/{table}/{sys_id}"))
    }

    /// The record's form in the UI: `…/<table>.do?sys_id=<sys_id>`.
    pub(crate) fn form_link(&self, table: &str, sys_id: &str) -> String {
        let mut url = join(&self.base, &format!("{table}.do"));
        url.query_pairs_mut().append_pair("sys_id", sys_id);
        url.to_string()
    }

    /// Where ServiceNow receives OAuth codes: the callback URL to register
    /// with the Atlassian app (`…/oauth_redirect.do`).
    pub(crate) fn redirect_url(&self) -> String {
        join(&self.base, "oauth_redirect.do").to_string()
    }

    /// The instance's OAuth token endpoint (`…/oauth_token.do`).
    pub(crate) fn token_url(&self) -> Url {
        join(&self.base, "oauth_token.do")
    }

    /// The instance's OAuth authorization endpoint (`…/oauth_auth.do`).
    pub(crate) fn authorize_url(&self) -> Url {
        join(&self.base, "oauth_auth.do")
    }

    /// The "Get OAuth Token" related link of an OAuth 2.0 credential: starts
    /// the authorization-code flow for `credential` with `profile`.
    pub(crate) fn initiator_url(&self, credential: &str, profile: &str) -> Url {
        let mut url = join(&self.base, "oauth_initiator.do");
        url.query_pairs_mut()
            .append_pair("oauth_requestor_context", "oauth_2_0_credentials")
            .append_pair("oauth_requestor", credential)
            .append_pair("oauth_provider_profile", profile)
            .append_pair("response_type", "code");
        url
    }
}

impl fmt::Display for Instance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_hosts_and_urls_become_one_base() {
        for input in [
            "acme",
            "ACME",
            "acme.service-now.com",
            "https://acme.service-now.com",
            "https://acme.service-now.com/now/nav/ui/home?x=1",
            " acme.service-now.com/ ",
        ] {
            let i = Instance::parse(input).unwrap();
            assert_eq!(i.url(), "https://acme.service-now.com", "{input}");
        }
        assert_eq!(
            Instance::parse("snow.example.org").unwrap().url(),
            "https://snow.example.org"
        );
    }

    #[test]
    fn plain_http_only_on_loopback_and_junk_is_refused() {
        let local = Instance::parse("http://127.0.0.1:8080/").unwrap();
        assert_eq!(local.url(), "http://127.0.0.1:8080");
        assert_eq!(local.host(), "127.0.0.1:8080");
        assert_eq!(local.arg(), "http://127.0.0.1:8080");
        assert_eq!(Instance::parse("acme").unwrap().arg(), "acme");
        assert_eq!(
            Instance::parse("snow.example.org").unwrap().arg(),
            "https://snow.example.org"
        );
        let long = "a".repeat(300);
        for bad in [
            long.as_str(),
            "http://acme.service-now.com",
            "acme corp",
            "",
            "a/b",
            "ftp://x.y",
        ] {
            let err = Instance::parse(bad).unwrap_err();
            assert_eq!(err.kind().exit_code(), 2, "{bad}: {err}");
        }
    }

    #[test]
    fn urls_on_the_instance() {
        let i = Instance::parse("acme").unwrap();
        assert_eq!(
            i.table_url("oauth_entity").as_str(),
            "https://acme.service-now.com/api/now/table/oauth_entity"
        );
        assert_eq!(
            i.form_link("oauth_entity", "abc"),
            "https://acme.service-now.com/oauth_entity.do?sys_id=abc"
        );
        assert_eq!(
            i.redirect_url(),
            "https://acme.service-now.com/oauth_redirect.do"
        );
        assert_eq!(
            i.initiator_url("c1", "p1").as_str(),
            "https://acme.service-now.com/oauth_initiator.do?oauth_requestor_context=oauth_2_0_credentials&oauth_requestor=c1&oauth_provider_profile=p1&response_type=code"
        );
    }
}
