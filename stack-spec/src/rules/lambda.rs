//! AWS Lambda: function names, memory, timeouts and environment variables.

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
}
