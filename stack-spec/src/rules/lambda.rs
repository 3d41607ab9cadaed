//! AWS Lambda: function names, memory, timeouts and environment variables; the batching,
//! retry and concurrency settings of event sources.

/// The memory Lambda accepts, in MB.
pub const MEMORY_MB: std::ops::RangeInclusive<i64> = 128..=10_240;

/// The longest timeout Lambda accepts, in seconds (15 minutes).
pub const MAX_TIMEOUT_SECONDS: u64 = 900;

/// Environment variables the Lambda runtime sets itself and refuses as configuration.
pub const RESERVED_ENVIRONMENT: &[&str] = &[
    "_HANDLER",
    "_X_AMZN_TRACE_ID",
    "AWS_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "AWS_DEFAULT_REGION",
    "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_LAMBDA_RUNTIME_API",
    "AWS_REGION",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "LAMBDA_RUNTIME_DIR",
    "LAMBDA_TASK_ROOT",
];

/// A function name: 1 to 64 letters, digits, `-` or `_`.
pub fn function_name(name: &str) -> Result<(), String> {
    let valid_chars = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if name.is_empty() || name.len() > 64 || !valid_chars {
        return Err(format!(
            "`{name}` must be 1 to 64 letters, digits, `-` or `_`"
        ));
    }
    Ok(())
}

/// Memory in MB: 128 to 10,240.
pub fn memory_size(mb: i64) -> Result<(), String> {
    if MEMORY_MB.contains(&mb) {
        Ok(())
    } else {
        Err(format!(
            "is {mb} MB; Lambda accepts {} to {} MB",
            MEMORY_MB.start(),
            MEMORY_MB.end()
        ))
    }
}

/// A timeout: 1 s to 15 minutes.
pub fn timeout(seconds: u64) -> Result<(), String> {
    if (1..=MAX_TIMEOUT_SECONDS).contains(&seconds) {
        Ok(())
    } else {
        Err(format!(
            "is {seconds} s; Lambda accepts 1 s to {MAX_TIMEOUT_SECONDS} s (`Duration::minutes(15)`)"
        ))
    }
}

/// An environment variable's name, as Lambda's API accepts it (`[a-zA-Z][a-zA-Z0-9_]+`)
/// and not one the runtime reserves. The error is a whole sentence.
pub fn environment_name(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.len() >= 2
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        return Err(format!(
            "invalid environment variable name `{name}`; Lambda accepts 2 or more letters, digits and `_`, starting with a letter"
        ));
    }
    if RESERVED_ENVIRONMENT.contains(&name) {
        return Err(format!(
            "`{name}` is reserved by the Lambda runtime and cannot be set; choose another name"
        ));
    }
    Ok(())
}

/// The records an event source hands a function at once: SQS queues and DynamoDB and
/// Kinesis streams all accept 1 to 10,000.
pub const BATCH_SIZE: std::ops::RangeInclusive<i64> = 1..=10_000;

/// The longest an event source gathers records before invoking, in seconds (5 minutes).
pub const MAX_BATCHING_WINDOW_SECONDS: u64 = 300;

/// How old a stream record may get before it is discarded, in seconds (60 s to 7 days).
pub const RECORD_AGE_SECONDS: std::ops::RangeInclusive<u64> = 60..=604_800;

/// An event source's batch size: 1 to 10,000 records.
pub fn batch_size(records: i64) -> Result<(), String> {
    if BATCH_SIZE.contains(&records) {
        Ok(())
    } else {
        Err(format!(
            "is {records}; Lambda reads batches of {} to {} records",
            BATCH_SIZE.start(),
            BATCH_SIZE.end()
        ))
    }
}

/// How long an event source gathers records before invoking: 0 to 300 s.
pub fn max_batching_window(seconds: u64) -> Result<(), String> {
    if seconds <= MAX_BATCHING_WINDOW_SECONDS {
        Ok(())
    } else {
        Err(format!(
            "is {seconds} s; Lambda waits at most {MAX_BATCHING_WINDOW_SECONDS} s (`Duration::minutes(5)`)"
        ))
    }
}

/// How often a stream source retries a failed batch: -1 (until the record expires) to
/// 10,000.
pub fn retry_attempts(attempts: i64) -> Result<(), String> {
    if (-1..=10_000).contains(&attempts) {
        Ok(())
    } else {
        Err(format!(
            "is {attempts}; Lambda accepts 0 to 10000 retries, or -1 to retry until the record expires"
        ))
    }
}

/// The oldest record a stream source still sends: 60 s to 7 days. Unset, records are kept
/// until the stream drops them (CloudFormation's -1).
pub fn max_record_age(seconds: u64) -> Result<(), String> {
    if RECORD_AGE_SECONDS.contains(&seconds) {
        Ok(())
    } else {
        Err(format!(
            "is {seconds} s; Lambda accepts {} s to {} s (`Duration::days(7)`), or no value to keep records until they expire",
            RECORD_AGE_SECONDS.start(),
            RECORD_AGE_SECONDS.end()
        ))
    }
}

/// How many concurrent invocations an SQS source may drive: 2 to 1,000.
pub fn max_concurrency(invocations: i64) -> Result<(), String> {
    if (2..=1_000).contains(&invocations) {
        Ok(())
    } else {
        Err(format!(
            "is {invocations}; Lambda accepts 2 to 1000 concurrent invocations"
        ))
    }
}

/// How many batches of one shard a stream source processes at once: 1 to 10.
pub fn parallelization_factor(batches: i64) -> Result<(), String> {
    if (1..=10).contains(&batches) {
        Ok(())
    } else {
        Err(format!(
            "is {batches}; Lambda processes 1 to 10 batches per shard at once"
        ))
    }
}

/// A Kinesis data stream's ARN: `arn:<partition>:kinesis:<region>:<account>:stream/<name>`.
pub fn kinesis_stream_arn(arn: &str) -> Result<(), String> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let valid = matches!(
        parts.as_slice(),
        ["arn", partition, "kinesis", region, account, resource]
            if !partition.is_empty()
                && !region.is_empty()
                && account.len() == 12
                && account.chars().all(|c| c.is_ascii_digit())
                && resource.strip_prefix("stream/").is_some_and(|name| !name.is_empty())
    );
    if valid {
        Ok(())
    } else {
        Err(format!(
            "`{arn}` is not a Kinesis stream ARN; write `arn:aws:kinesis:<region>:<account>:stream/<name>`"
        ))
    }
}

#[cfg(test)]
mod tests {
    // Lambda's limits, at and just past their edges.
    use super::*;

    #[test]
    fn memory_limits() {
        assert!(memory_size(128).is_ok());
        assert!(memory_size(10_240).is_ok());
        assert_eq!(
            memory_size(20_000).expect_err("rejected"),
            "is 20000 MB; Lambda accepts 128 to 10240 MB"
        );
        assert!(memory_size(127).is_err());
    }

    #[test]
    fn timeout_limits() {
        assert!(timeout(900).is_ok());
        assert!(timeout(1).is_ok());
        assert!(timeout(901).is_err());
        assert!(timeout(0).is_err());
    }

    #[test]
    fn function_names() {
        assert!(function_name("photo-sky_1").is_ok());
        assert!(function_name("").is_err());
        assert!(function_name("a b").is_err());
        assert!(function_name(&"x".repeat(65)).is_err());
    }

    #[test]
    fn environment_names() {
        assert!(environment_name("BUCKET_NAME").is_ok());
        assert!(environment_name("b2").is_ok());
        assert!(environment_name("A").is_err(), "one character is too short");
        assert!(environment_name("1A").is_err());
        assert!(environment_name("A-B").is_err());
        assert!(environment_name("AWS_REGION")
            .expect_err("rejected")
            .contains("reserved"));
    }

    #[test]
    fn event_source_limits() {
        assert!(batch_size(1).is_ok());
        assert!(batch_size(10_000).is_ok());
        assert_eq!(
            batch_size(0).expect_err("rejected"),
            "is 0; Lambda reads batches of 1 to 10000 records"
        );
        assert!(batch_size(10_001).is_err());
        assert!(max_batching_window(0).is_ok());
        assert!(max_batching_window(300).is_ok());
        assert!(max_batching_window(301).is_err());
        assert!(retry_attempts(-1).is_ok());
        assert!(retry_attempts(10_000).is_ok());
        assert!(retry_attempts(-2).is_err());
        assert!(retry_attempts(10_001).is_err());
        assert!(max_record_age(60).is_ok());
        assert!(max_record_age(604_800).is_ok());
        assert!(max_record_age(59).is_err());
        assert!(max_record_age(604_801).is_err());
        assert!(max_concurrency(2).is_ok());
        assert!(max_concurrency(1_000).is_ok());
        assert!(max_concurrency(1).is_err());
        assert!(max_concurrency(1_001).is_err());
        assert!(parallelization_factor(1).is_ok());
        assert!(parallelization_factor(10).is_ok());
        assert!(parallelization_factor(0).is_err());
        assert!(parallelization_factor(11).is_err());
    }

    #[test]
    fn kinesis_stream_arns() {
        assert!(kinesis_stream_arn("arn:aws:kinesis:eu-west-1:123456789012:stream/clicks").is_ok());
        assert!(kinesis_stream_arn("arn:aws-cn:kinesis:cn-north-1:123456789012:stream/a").is_ok());
        assert!(kinesis_stream_arn("clicks").is_err());
        assert!(kinesis_stream_arn("arn:aws:sqs:eu-west-1:123456789012:clicks").is_err());
        assert!(kinesis_stream_arn("arn:aws:kinesis:eu-west-1:123:stream/clicks").is_err());
        assert!(kinesis_stream_arn("arn:aws:kinesis:eu-west-1:123456789012:stream/").is_err());
    }
}
