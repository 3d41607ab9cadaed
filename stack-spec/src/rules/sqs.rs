//! Amazon SQS: queue names and the ranges of a queue's timings.

/// The longest a message can stay invisible after a receive: 12 hours.
const MAX_VISIBILITY_TIMEOUT_SECONDS: u64 = 43_200;
/// The shortest and longest a queue keeps a message: 1 minute to 14 days.
const RETENTION_SECONDS: std::ops::RangeInclusive<u64> = 60..=1_209_600;
/// The longest a queue can delay a new message: 15 minutes.
const MAX_DELIVERY_DELAY_SECONDS: u64 = 900;
/// The longest a receive can wait for a message (long polling): 20 seconds.
const MAX_RECEIVE_WAIT_SECONDS: u64 = 20;
/// How often a message may be received before it goes to the dead-letter queue.
const RECEIVE_COUNT: std::ops::RangeInclusive<i64> = 1..=1_000;

/// A queue name: 1 to 80 letters, digits, `-` and `_`, a FIFO queue's ending in `.fifo`
/// (within the 80).
pub fn queue_name(name: &str) -> Result<(), String> {
    let stem = name.strip_suffix(".fifo").unwrap_or(name);
    if name.is_empty() || name.len() > 80 {
        return Err(format!("`{name}` must be 1 to 80 characters long"));
    }
    if stem.is_empty()
        || !stem
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(format!(
            "`{name}` may hold only letters, digits, `-` and `_`, and end in `.fifo` for a FIFO queue"
        ));
    }
    Ok(())
}

/// A visibility timeout: 0 s to 12 hours.
pub fn visibility_timeout(seconds: u64) -> Result<(), String> {
    within(
        seconds,
        0..=MAX_VISIBILITY_TIMEOUT_SECONDS,
        "`Duration::hours(12)`",
    )
}

/// A retention period: 1 minute to 14 days.
pub fn retention_period(seconds: u64) -> Result<(), String> {
    within(
        seconds,
        RETENTION_SECONDS,
        "`Duration::minutes(1)` to `Duration::days(14)`",
    )
}

/// A delivery delay: 0 s to 15 minutes.
pub fn delivery_delay(seconds: u64) -> Result<(), String> {
    within(
        seconds,
        0..=MAX_DELIVERY_DELAY_SECONDS,
        "`Duration::minutes(15)`",
    )
}

/// A long-polling wait: 0 s to 20 s.
pub fn receive_wait_time(seconds: u64) -> Result<(), String> {
    within(
        seconds,
        0..=MAX_RECEIVE_WAIT_SECONDS,
        "`Duration::seconds(20)`",
    )
}

/// How many receives a message gets before it moves to the dead-letter queue: 1 to 1,000.
pub fn max_receive_count(count: i64) -> Result<(), String> {
    if RECEIVE_COUNT.contains(&count) {
        Ok(())
    } else {
        Err(format!(
            "is {count}; SQS accepts {} to {} receives",
            RECEIVE_COUNT.start(),
            RECEIVE_COUNT.end()
        ))
    }
}

fn within(seconds: u64, range: std::ops::RangeInclusive<u64>, written: &str) -> Result<(), String> {
    if range.contains(&seconds) {
        Ok(())
    } else {
        Err(format!(
            "is {seconds} s; SQS accepts {} s to {} s ({written})",
            range.start(),
            range.end()
        ))
    }
}

#[cfg(test)]
mod tests {
    // SQS's limits, at and beyond each bound.
    use super::*;

    #[test]
    fn queue_names() {
        assert!(queue_name("jobs").is_ok());
        assert!(queue_name("jobs_dlq-1").is_ok());
        assert!(queue_name("orders.fifo").is_ok());
        assert!(queue_name(&"a".repeat(80)).is_ok());
        assert!(queue_name(&"a".repeat(81)).is_err());
        assert!(queue_name("").is_err());
        assert!(queue_name(".fifo").is_err());
        assert_eq!(
            queue_name("my queue").expect_err("rejected"),
            "`my queue` may hold only letters, digits, `-` and `_`, and end in `.fifo` for a FIFO queue"
        );
        assert!(queue_name("jobs.fifo.fifo").is_err());
    }

    #[test]
    fn timings() {
        assert!(visibility_timeout(0).is_ok());
        assert!(visibility_timeout(43_200).is_ok());
        assert_eq!(
            visibility_timeout(43_201).expect_err("rejected"),
            "is 43201 s; SQS accepts 0 s to 43200 s (`Duration::hours(12)`)"
        );
        assert!(retention_period(59).is_err());
        assert!(retention_period(60).is_ok());
        assert!(retention_period(1_209_600).is_ok());
        assert!(retention_period(1_209_601).is_err());
        assert!(delivery_delay(900).is_ok());
        assert!(delivery_delay(901).is_err());
        assert!(receive_wait_time(20).is_ok());
        assert!(receive_wait_time(21).is_err());
    }

    #[test]
    fn receive_counts() {
        assert!(max_receive_count(0).is_err());
        assert!(max_receive_count(1).is_ok());
        assert!(max_receive_count(1_000).is_ok());
        assert_eq!(
            max_receive_count(1_001).expect_err("rejected"),
            "is 1001; SQS accepts 1 to 1000 receives"
        );
    }
}
