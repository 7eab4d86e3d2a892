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
    // NOTE: rounded to the nearest unit, and to the next unit up when it
    // rounds to a whole one: a 90-day token read a second later is still
    // "90 d", an hour's token "1 h", not "89 d" and "59 min".
    let round = |unit: u64| (secs + unit / 2) / unit;
    if secs < 60 {
        format!("{secs} s")
    } else if round(60) < 60 {
        format!("{} min", round(60))
    } else if round(3600) < 24 {
        format!("{} h", round(3600))
    } else {
        format!("{} d", round(86400))
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
        assert_eq!(super::human_duration(3599), "1 h", "not 59 min");
        assert_eq!(super::human_duration(89), "1 min");
        assert_eq!(super::human_duration(90 * 86400 - 1), "90 d", "not 89 d");
        assert_eq!(super::human_duration(86399), "1 d");
        assert_eq!(super::human_duration(5400), "2 h");
    }
}
