//! AWS Step Functions: state machine and state names, how long an execution may run, and
//! the [`graph`] of a state machine's states.

pub mod graph;

/// The longest a state machine or a state name may be: 80 characters.
const MAX_NAME: usize = 80;
/// The longest a standard execution may run: one year.
const MAX_TIMEOUT_SECONDS: u64 = 31_536_000;

/// A state machine's name: 1 to 80 letters, digits, `-` and `_`.
pub fn state_machine_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Err(format!("`{name}` must be 1 to {MAX_NAME} characters long"));
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(format!(
            "`{name}` may hold only letters, digits, `-` and `_`"
        ));
    }
    Ok(())
}

/// A state's name within a definition: 1 to 80 characters.
pub fn state_name(name: &str) -> Result<(), String> {
    match name.chars().count() {
        0 => Err("is empty; give the state a name of 1 to 80 characters".to_owned()),
        n if n > MAX_NAME => Err(format!(
            "is {n} characters long; Step Functions accepts state names of at most {MAX_NAME}"
        )),
        _ => Ok(()),
    }
}

/// How long an execution may run before it fails with `States.Timeout`: 1 s to one year.
pub fn timeout(seconds: u64) -> Result<(), String> {
    if (1..=MAX_TIMEOUT_SECONDS).contains(&seconds) {
        Ok(())
    } else {
        Err(format!(
            "is {seconds} s; Step Functions accepts 1 s to {MAX_TIMEOUT_SECONDS} s (`Duration::days(365)`)"
        ))
    }
}

#[cfg(test)]
mod tests {
    // Step Functions' limits, at and beyond each bound.
    use super::*;

    #[test]
    fn state_machine_names() {
        assert!(state_machine_name("order-flow_2").is_ok());
        assert!(state_machine_name(&"a".repeat(80)).is_ok());
        assert!(state_machine_name(&"a".repeat(81)).is_err());
        assert!(state_machine_name("").is_err());
        assert_eq!(
            state_machine_name("order flow").expect_err("rejected"),
            "`order flow` may hold only letters, digits, `-` and `_`"
        );
    }

    #[test]
    fn state_names() {
        assert!(state_name("Validate order").is_ok());
        assert!(state_name(&"é".repeat(80)).is_ok());
        assert!(state_name("").is_err());
        assert_eq!(
            state_name(&"a".repeat(81)).expect_err("rejected"),
            "is 81 characters long; Step Functions accepts state names of at most 80"
        );
    }

    #[test]
    fn timeouts() {
        assert!(timeout(0).is_err());
        assert!(timeout(1).is_ok());
        assert!(timeout(31_536_000).is_ok());
        assert!(timeout(31_536_001).is_err());
    }
}
