//! Property tests of the parsers that take untrusted text: sites and Cloud
//! IDs, endpoint URLs, OAuth callbacks, and the config file. (cargo-fuzz needs
//! a nightly toolchain, which this project's machines do not have.)

use jira_spoke::atlassian::callback::{Callback, Rejection, parse_callback};
use jira_spoke::atlassian::endpoints::{is_loopback, parse_endpoint_url};
use jira_spoke::atlassian::{CloudId, SiteInput};
use jira_spoke::store::ConfigFile;
use proptest::prelude::*;

/// A strategy for strings matching `pattern`, compiled once (a bare
/// `"pattern"` strategy compiles it again for every case).
fn re(pattern: &str) -> proptest::string::RegexGeneratorStrategy<String> {
    proptest::string::string_regex(pattern).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn site_parsing_never_panics_and_fails_only_as_usage(input in re(".{0,80}")) {
        if let Err(e) = SiteInput::parse(&input) {
            prop_assert_eq!(e.kind().exit_code(), 2);
            prop_assert!(e.hint().is_some());
        }
    }

    #[test]
    fn url_like_sites_never_panic(scheme in re("(https?|ftp|)"), host in re("[a-zA-Z0-9.\\-_:@\\[\\]%]{0,40}"), path in re("[/a-z?=&#]{0,20}")) {
        let input = format!("{scheme}://{host}{path}");
        if let Ok(SiteInput::Site(url)) = SiteInput::parse(&input) {
            prop_assert!(url.scheme() == "https" || is_loopback(&url), "{}", url);
            prop_assert_eq!(url.path(), "/");
        }
    }

    #[test]
    fn well_formed_cloud_ids_parse_in_any_case(id in re("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
        let parsed = CloudId::parse(&id).unwrap();
        prop_assert_eq!(parsed.as_str(), id.to_ascii_lowercase());
        let from_admin = SiteInput::parse(&format!("https://admin.atlassian.com/s/{id}/apps")).unwrap();
        prop_assert_eq!(from_admin, SiteInput::CloudId(parsed));
    }

    #[test]
    fn endpoint_urls_allow_plain_http_only_on_loopback(input in re("(https?://)?[a-z0-9.\\[\\]:]{0,30}(/[a-z]{0,5})?")) {
        if let Ok(url) = parse_endpoint_url("--auth-url", &input) {
            prop_assert!(url.scheme() == "https" || (url.scheme() == "http" && is_loopback(&url)), "{}", url);
        }
    }

    #[test]
    fn callbacks_never_panic_on_any_query_text(query in re("[a-z_=&%0-9A-F+]{0,120}|.{0,60}")) {
        let _ = parse_callback(&query, "s1");
    }

    /// Built from parts, so codes with our state are common (a random string
    /// almost never is one); values are any text, form-encoded as a browser
    /// would. The answer is known for each: a repeated parameter is
    /// malformed, then our state is required, then an error is a denial,
    /// then a non-blank code is the code (trimmed).
    #[test]
    fn a_callback_gives_the_code_exactly_when_it_carries_our_state_and_no_error(
        state in prop::option::weighted(0.9, prop_oneof![3 => Just("s1".to_owned()), 1 => re(".{0,4}")]),
        code in prop::option::weighted(0.8, prop_oneof![3 => re("[A-Za-z0-9._~-]{1,40}"), 1 => re(".{0,8}")]),
        error in prop::option::weighted(0.2, re("[a-z_]{1,15}")),
        description in prop::option::weighted(0.2, re(".{0,20}")),
        extras in prop::collection::vec((prop_oneof![re("[a-z_]{1,8}"), Just("state".to_owned()), Just("code".to_owned())], re(".{0,12}")), 0..3),
        order in any::<prop::sample::Index>(),
    ) {
        let mut pairs: Vec<(String, String)> = [
            state.map(|v| ("state".to_owned(), v)),
            code.map(|v| ("code".to_owned(), v)),
            error.map(|v| ("error".to_owned(), v)),
            description.map(|v| ("error_description".to_owned(), v)),
        ]
        .into_iter()
        .flatten()
        .chain(extras)
        .collect();
        if !pairs.is_empty() {
            let at = order.index(pairs.len());
            pairs.rotate_left(at);
        }
        let query = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&pairs)
            .finish();
        let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
        let mut keys: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
        keys.sort_unstable();
        let repeated = keys.windows(2).any(|w| w[0] == w[1]);
        let got = parse_callback(&query, "s1");
        if repeated {
            prop_assert!(matches!(got, Err(Rejection::Malformed(_))), "{}", query);
        } else if get("state") != Some("s1") {
            prop_assert!(matches!(got, Err(Rejection::State)), "{}", query);
        } else if let Some(error) = get("error") {
            match got {
                Ok(Callback::Denied { code, description }) => {
                    prop_assert_eq!(code, error);
                    prop_assert_eq!(description.as_deref(), get("error_description"));
                }
                _ => prop_assert!(false, "not a denial: {}", query),
            }
        } else {
            match (got, get("code")) {
                (Ok(Callback::Code(got)), Some(sent)) => {
                    // A `Secret` drops surrounding whitespace, by design.
                    prop_assert_eq!(got.expose(), sent.trim())
                }
                (Err(Rejection::Malformed(_)), sent) => {
                    prop_assert!(sent.is_none_or(|c| c.trim().is_empty()), "{}", query)
                }
                (_, _) => prop_assert!(false, "wrong answer for {}", query),
            }
        }
    }


}

/// Config texts: a connection table and up to six `key = value` lines.
const CONFIG_TEXT: &str = "(\\[connections\\.[a-z]{1,5}\\]\\n)?([a-z_]{1,12} = (\"[a-z:/.]{0,20}\"|[0-9]{1,4}|true)\\n){0,6}";

/// One file for every case, rewritten in place without truncating it to
/// nothing: on this project's machines (ext4 with `discard`) a fresh file or
/// directory per case, or a truncating write, made each case wait for the
/// disk, and the test took 8 s instead of 1.
#[test]
fn any_config_text_loads_or_is_a_local_error() {
    use std::io::{Seek, Write};
    let dir = tempfile::tempdir().unwrap();
    let config = ConfigFile::new(dir.path());
    let file = std::fs::File::create(dir.path().join("config.toml")).unwrap();
    let texts = re(CONFIG_TEXT);
    // No failure file: a runner outside `proptest!` knows no source file to
    // put it beside (and says so on every run).
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::with_cases(2000)
    });
    runner
        .run(&texts, |text| {
            (&file).rewind().unwrap();
            (&file).write_all(text.as_bytes()).unwrap();
            file.set_len(text.len() as u64).unwrap();
            if let Err(e) = config.load() {
                prop_assert_eq!(e.kind().exit_code(), 6);
                prop_assert!(!e.to_string().contains('\n'), "one line: {}", e);
            }
            Ok(())
        })
        .unwrap();
}
