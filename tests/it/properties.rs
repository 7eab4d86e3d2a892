//! Property tests of the parsers that take untrusted text: sites and Cloud
//! IDs, endpoint URLs, OAuth callbacks, and the config file. (cargo-fuzz needs
//! a nightly toolchain, which this project's machines do not have.)

use jira_spoke::atlassian::callback::{Callback, parse_callback};
use jira_spoke::atlassian::endpoints::{is_loopback, parse_endpoint_url};
use jira_spoke::atlassian::{CloudId, SiteInput};
use jira_spoke::store::ConfigFile;
use proptest::prelude::*;

/// True when `query` has `state=s1`.
fn carries_our_state(query: &str) -> bool {
    url::form_urlencoded::parse(query.as_bytes()).any(|(k, v)| k == "state" && v == "s1")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn site_parsing_never_panics_and_fails_only_as_usage(input in ".{0,80}") {
        if let Err(e) = SiteInput::parse(&input) {
            prop_assert_eq!(e.kind().exit_code(), 2);
            prop_assert!(e.hint().is_some());
        }
    }

    #[test]
    fn url_like_sites_never_panic(scheme in "(https?|ftp|)", host in "[a-zA-Z0-9.\\-_:@\\[\\]%]{0,40}", path in "[/a-z?=&#]{0,20}") {
        let input = format!("{scheme}://{host}{path}");
        if let Ok(SiteInput::Site(url)) = SiteInput::parse(&input) {
            prop_assert!(url.scheme() == "https" || is_loopback(&url), "{}", url);
            prop_assert_eq!(url.path(), "/");
        }
    }

    #[test]
    fn well_formed_cloud_ids_parse_in_any_case(id in "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}") {
        let parsed = CloudId::parse(&id).unwrap();
        prop_assert_eq!(parsed.as_str(), id.to_ascii_lowercase());
        let from_admin = SiteInput::parse(&format!("https://admin.atlassian.com/s/{id}/apps")).unwrap();
        prop_assert_eq!(from_admin, SiteInput::CloudId(parsed));
    }

    #[test]
    fn endpoint_urls_allow_plain_http_only_on_loopback(input in "(https?://)?[a-z0-9.\\[\\]:]{0,30}(/[a-z]{0,5})?") {
        if let Ok(url) = parse_endpoint_url("--auth-url", &input) {
            prop_assert!(url.scheme() == "https" || (url.scheme() == "http" && is_loopback(&url)), "{}", url);
        }
    }

    #[test]
    fn callbacks_never_panic_and_an_accepted_one_always_carries_our_state(query in "[a-z_=&%0-9A-F]{0,120}") {
        if parse_callback(&query, "s1").is_ok() {
            prop_assert!(carries_our_state(&query), "{}", query);
        }
    }

    #[test]
    fn denials_and_codes_alike_need_our_state(
        state in prop::option::of(prop_oneof![Just("s1".to_owned()), "[a-z0-9]{0,3}"]),
        error in prop::option::of("[a-z_]{1,15}"),
        description in prop::option::of("[A-Za-z0-9 %]{0,30}"),
        code in prop::option::of("[A-Za-z0-9]{0,8}"),
        order in any::<prop::sample::Index>(),
    ) {
        let mut pairs: Vec<String> = [
            state.map(|v| format!("state={v}")),
            error.map(|v| format!("error={v}")),
            description.map(|v| format!("error_description={v}")),
            code.map(|v| format!("code={v}")),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !pairs.is_empty() {
            let at = order.index(pairs.len());
            pairs.rotate_left(at);
        }
        let query = pairs.join("&");
        match parse_callback(&query, "s1") {
            Ok(Callback::Denied { .. }) | Ok(Callback::Code(_)) => {
                prop_assert!(carries_our_state(&query), "{}", query)
            }
            Err(_) => {}
        }
    }

    #[test]
    fn any_config_text_loads_or_is_a_local_error(text in "(\\[connections\\.[a-z]{1,5}\\]\\n)?([a-z_]{1,12} = (\"[a-z:/.]{0,20}\"|[0-9]{1,4}|true)\\n){0,6}") {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("config.toml"), &text).unwrap();
        if let Err(e) = ConfigFile::new(dir.path()).load() {
            prop_assert_eq!(e.kind().exit_code(), 6);
            prop_assert!(!e.to_string().contains('\n'), "one line: {}", e);
        }
    }
}
