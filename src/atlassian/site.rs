//! What the admin types for "which Jira": a site name, a site URL, a pasted
//! admin.atlassian.com URL or a bare Cloud ID, parsed offline into a [`SiteInput`].
//!
//! Looking a site up over the network is [`super::cloud_id`]'s job.

use std::fmt;

use serde::{Deserialize, Serialize};
use url::Url;

use super::endpoints::{is_loopback, parse_endpoint_url};
use crate::error::{Error, Result};

/// The domain Atlassian Cloud sites live under.
const CLOUD_DOMAIN: &str = "atlassian.net";
/// The host of Atlassian Administration, whose `/s/<cloud-id>/…` URLs carry a Cloud ID.
const ADMIN_HOST: &str = "admin.atlassian.com";

/// A Jira Cloud site's Cloud ID: 8-4-4-4-12 hexadecimal digits, kept lowercase.
///
/// Only the shape is checked: Atlassian's own examples do not carry valid UUID
/// version or variant nibbles, so checking them would reject real IDs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CloudId(String);

impl CloudId {
    /// Parses a Cloud ID, accepting upper case and surrounding whitespace.
    pub fn parse(input: &str) -> Result<CloudId> {
        let id = input.trim().to_ascii_lowercase();
        if has_cloud_id_shape(&id) {
            Ok(CloudId(id))
        } else {
            Err(Error::InvalidCloudId {
                input: input.trim().to_owned(),
            })
        }
    }

    /// The ID as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CloudId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CloudId {
    type Error = String;
    fn try_from(value: String) -> std::result::Result<Self, String> {
        CloudId::parse(&value).map_err(|e| e.to_string())
    }
}

impl From<CloudId> for String {
    fn from(id: CloudId) -> String {
        id.0
    }
}

fn has_cloud_id_shape(id: &str) -> bool {
    let groups: Vec<&str> = id.split('-').collect();
    let lengths = [8, 4, 4, 4, 12];
    groups.len() == lengths.len()
        && groups
            .iter()
            .zip(lengths)
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A parsed answer to "which Jira site?".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SiteInput {
    /// A site to look up: its base URL (scheme, host and port only).
    Site(Url),
    /// A Cloud ID, typed bare or taken from an admin.atlassian.com URL.
    CloudId(CloudId),
}

impl SiteInput {
    /// Parses `acme`, `acme.atlassian.net`, `https://acme.atlassian.net/…`,
    /// `https://admin.atlassian.com/s/<cloud-id>/…`, a bare Cloud ID, or (for
    /// local tests) a loopback `http://127.0.0.1:PORT`.
    pub fn parse(input: &str) -> Result<SiteInput> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(invalid(input, "it is empty"));
        }
        if has_cloud_id_shape(&trimmed.to_ascii_lowercase()) {
            return Ok(SiteInput::CloudId(CloudId::parse(trimmed)?));
        }
        if trimmed.contains("://") {
            return parse_url(trimmed);
        }
        parse_bare(trimmed)
    }
}

/// `acme` or `acme.atlassian.net` or `jira.example.com` (a custom domain).
fn parse_bare(input: &str) -> Result<SiteInput> {
    let host = input.trim_end_matches('/');
    if host.contains('/') || host.contains('@') || host.contains(char::is_whitespace) {
        return Err(invalid(input, "expected a site name or URL"));
    }
    let host = if host.contains('.') {
        host.to_owned()
    } else {
        format!("{host}.{CLOUD_DOMAIN}")
    };
    parse_url(&format!("https://{host}"))
}

fn parse_url(input: &str) -> Result<SiteInput> {
    let url = Url::parse(input).map_err(|e| invalid(input, &e.to_string()))?;
    let host = url
        .host_str()
        .ok_or_else(|| invalid(input, "it has no host"))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            input,
            "it must not contain a user name or password",
        ));
    }
    if host == ADMIN_HOST {
        return parse_admin_url(input, &url);
    }
    if url.scheme() == "http" && !is_loopback(&url) {
        return Err(Error::InsecureUrl {
            what: "site".into(),
            url: input.to_owned(),
        });
    }
    check_site_host(input, host, &url)?;
    let base = parse_endpoint_url("site", &url[..url::Position::BeforePath])?;
    Ok(SiteInput::Site(base))
}

fn check_site_host(input: &str, host: &str, url: &Url) -> Result<()> {
    if !matches!(url.scheme(), "https" | "http") {
        return Err(invalid(input, "only https:// sites exist in Jira Cloud"));
    }
    if is_loopback(url) {
        return Ok(());
    }
    if !matches!(url.host(), Some(url::Host::Domain(_))) {
        return Ok(()); // an IP address, already checked by the URL parser
    }
    if let Some(name) = host.strip_suffix(&format!(".{CLOUD_DOMAIN}")) {
        let ok = !name.is_empty()
            && !name.contains('.')
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !ok {
            return Err(invalid(
                input,
                "a site name has only letters, digits and dashes",
            ));
        }
    } else if !host.contains('.') {
        return Err(invalid(input, "the host name is incomplete"));
    }
    check_host_name(input, host)
}

/// The limits of DNS host names (RFC 1035, RFC 1123), which the URL parser
/// does not enforce: labels of 1–63 letters, digits and dashes, neither
/// starting nor ending with a dash; 253 characters in all. A name outside
/// them cannot resolve, so it is refused here instead of failing as a
/// network error (exit 5) after a DNS lookup.
fn check_host_name(input: &str, host: &str) -> Result<()> {
    if host.len() > 253 {
        return Err(invalid(
            input,
            "the host name is longer than 253 characters",
        ));
    }
    for label in host.split('.') {
        let reason = if label.is_empty() {
            "the host name has an empty label (two dots in a row, or a dot at either end)"
        } else if label.len() > 63 {
            "a host name's labels are at most 63 characters long"
        } else if !label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            "a host name has only letters, digits and dashes between its dots"
        } else if label.starts_with('-') || label.ends_with('-') {
            "a host name's labels cannot start or end with a dash"
        } else {
            continue;
        };
        return Err(invalid(input, reason));
    }
    Ok(())
}

/// `https://admin.atlassian.com/s/<cloud-id>/apps` carries the Cloud ID; `/o/<org-id>/…` does not.
fn parse_admin_url(input: &str, url: &Url) -> Result<SiteInput> {
    let mut segments = url.path_segments().into_iter().flatten();
    match (segments.next(), segments.next()) {
        (Some("s"), Some(id)) => Ok(SiteInput::CloudId(CloudId::parse(id)?)),
        (Some("o"), Some(org)) => Err(Error::OrganizationUrl {
            input: input.to_owned(),
            org_id: org.to_owned(),
        }),
        _ => Err(invalid(
            input,
            "this admin.atlassian.com URL has no /s/CLOUD-ID/ part",
        )),
    }
}

fn invalid(input: &str, reason: &str) -> Error {
    Error::InvalidSite {
        input: input.trim().to_owned(),
        reason: reason.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "1324a887-45db-1bf4-1e99-ef0ff456d421";

    fn site(input: &str) -> String {
        match SiteInput::parse(input) {
            Ok(SiteInput::Site(url)) => url.to_string(),
            other => panic!("{input}: {other:?}"),
        }
    }

    fn cloud_id(input: &str) -> String {
        match SiteInput::parse(input) {
            Ok(SiteInput::CloudId(id)) => id.to_string(),
            other => panic!("{input}: {other:?}"),
        }
    }

    #[test]
    fn site_forms_all_resolve_to_the_site_base_url() {
        for input in [
            "acme",
            "ACME",
            "acme.atlassian.net",
            "acme.atlassian.net/",
            "https://acme.atlassian.net",
            "https://acme.atlassian.net/jira/software/projects/ABC/boards/1",
            "https://Acme.Atlassian.net/browse/ABC-1?focus=1",
            "  acme  ",
        ] {
            assert_eq!(site(input), "https://acme.atlassian.net/", "{input}");
        }
    }

    #[test]
    fn custom_domains_and_loopback_test_servers_are_sites() {
        assert_eq!(site("jira.example.com"), "https://jira.example.com/");
        assert_eq!(site("http://127.0.0.1:8080"), "http://127.0.0.1:8080/");
        assert_eq!(site("http://localhost:9/x"), "http://localhost:9/");
        assert_eq!(site("http://[::1]:3000"), "http://[::1]:3000/");
    }

    #[test]
    fn internationalised_hosts_become_punycode() {
        assert_eq!(
            site("https://Jïra.Example.com/x"),
            "https://xn--jra-zma.example.com/"
        );
        assert_eq!(site("ÄCME"), "https://xn--cme-pla.atlassian.net/");
        assert!(SiteInput::parse("https://jïra .example.com").is_err());
    }

    #[test]
    fn admin_url_and_bare_id_give_the_cloud_id_offline() {
        assert_eq!(
            cloud_id(&format!("https://admin.atlassian.com/s/{ID}/apps")),
            ID
        );
        assert_eq!(cloud_id(&ID.to_uppercase()), ID);
        assert_eq!(cloud_id(&format!(" {ID}\n")), ID);
    }

    #[test]
    fn organization_urls_are_refused_with_their_own_error() {
        let err = SiteInput::parse("https://admin.atlassian.com/o/abc-123/overview").unwrap_err();
        assert!(matches!(err, Error::OrganizationUrl { .. }), "{err:?}");
    }

    #[test]
    fn malformed_sites_are_usage_errors() {
        for input in [
            "",
            "   ",
            "acme corp",
            "https://",
            "ftp://acme.atlassian.net",
            "https://user:pw@acme.atlassian.net",
            "acme/jira",
            "ac_me.atlassian.net",
            "a.b.atlassian.net",
            "https://admin.atlassian.com/",
            "https://admin.atlassian.com/s/not-an-id/apps",
        ] {
            let err = SiteInput::parse(input).unwrap_err();
            assert_eq!(err.kind().exit_code(), 2, "{input}: {err:?}");
            assert!(err.hint().is_some(), "{input}");
        }
    }

    #[test]
    fn host_names_dns_cannot_resolve_are_usage_errors() {
        let long_label = "a".repeat(64);
        let long_name = format!("{}example.com", "abcdefghi.".repeat(25));
        for input in [
            "exa mple.atlassian.net".to_owned(),
            "https://exa mple.atlassian.net".to_owned(),
            "https://exa%20mple.atlassian.net".to_owned(),
            format!("{long_label}.atlassian.net"),
            format!("https://jira.{long_label}.com"),
            long_name,
            "jira..example.com".to_owned(),
            "https://.example.com".to_owned(),
            "acme.atlassian.net.".to_owned(),
            "jira_x.example.com".to_owned(),
            "-acme.atlassian.net".to_owned(),
            "https://jira-.example.com".to_owned(),
        ] {
            let err = SiteInput::parse(&input).unwrap_err();
            assert_eq!(err.kind().exit_code(), 2, "{input}: {err:?}");
            assert!(err.hint().is_some(), "{input}");
        }
    }

    #[test]
    fn the_longest_legal_names_are_still_sites() {
        let label = "a".repeat(63);
        assert_eq!(
            site(&format!("{label}.atlassian.net")),
            format!("https://{label}.atlassian.net/")
        );
        assert_eq!(site("https://1.2.3.4"), "https://1.2.3.4/");
        assert_eq!(
            site("xn--jra-zma.example.com"),
            "https://xn--jra-zma.example.com/"
        );
    }

    #[test]
    fn plain_http_is_refused_for_remote_hosts() {
        let err = SiteInput::parse("http://acme.atlassian.net").unwrap_err();
        assert!(matches!(err, Error::InsecureUrl { .. }), "{err:?}");
        let err = SiteInput::parse("http://10.0.0.1:8080").unwrap_err();
        assert!(matches!(err, Error::InsecureUrl { .. }), "{err:?}");
    }

    #[test]
    fn cloud_id_checks_shape_but_not_uuid_version() {
        // Atlassian's documented example has no valid RFC 4122 version nibble.
        assert!(CloudId::parse("11223344-a1b2-3b33-c444-def123456789").is_ok());
        for bad in [
            "1324a887-45db-1bf4-1e99-ef0ff456d42",
            "1324a887-45db-1bf4-1e99-ef0ff456d4211",
            "1324a887-45db-1bf4-1e99ef0ff456d421",
            "g324a887-45db-1bf4-1e99-ef0ff456d421",
            "1324a887_45db_1bf4_1e99_ef0ff456d421",
            "",
        ] {
            assert!(CloudId::parse(bad).is_err(), "{bad}");
        }
    }
}
