//! Wall-clock helpers: Unix seconds and short human durations.

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch.
pub(crate) fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// `45 s`, `12 min`, `3 h`, `2 d`.
pub(crate) fn human_duration(secs: u64) -> String {
    match secs {
        0..60 => format!("{secs} s"),
        60..3600 => format!("{} min", secs / 60),
        3600..86400 => format!("{} h", secs / 3600),
        _ => format!("{} d", secs / 86400),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn durations_read_naturally() {
        assert_eq!(super::human_duration(5), "5 s");
        assert_eq!(super::human_duration(600), "10 min");
        assert_eq!(super::human_duration(7200), "2 h");
        assert_eq!(super::human_duration(200_000), "2 d");
    }
}
