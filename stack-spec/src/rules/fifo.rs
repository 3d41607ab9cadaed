//! FIFO queues and topics: a name ends in `.fifo` exactly when the queue or topic is FIFO.

/// Whether `name` agrees with `fifo`; `noun` is `queue` or `topic`. The error reads after
/// the option's name and says which way to fix it.
pub fn name_matches(name: &str, fifo: bool, noun: &str) -> Result<(), String> {
    if name.ends_with(".fifo") == fifo {
        return Ok(());
    }
    let fix = if fifo {
        "add `.fifo`"
    } else {
        "set `fifo: true` or drop `.fifo`"
    };
    Err(format!(
        "`{name}`: a FIFO {noun}'s name ends in `.fifo` and only a FIFO {noun}'s does; {fix}"
    ))
}

#[cfg(test)]
mod tests {
    // Both directions of the mismatch, and the names that agree.
    use super::*;

    #[test]
    fn a_name_agrees_with_the_kind() {
        assert!(name_matches("orders.fifo", true, "queue").is_ok());
        assert!(name_matches("orders", false, "topic").is_ok());
        assert_eq!(
            name_matches("orders", true, "queue").expect_err("rejected"),
            "`orders`: a FIFO queue's name ends in `.fifo` and only a FIFO queue's does; add `.fifo`"
        );
        assert_eq!(
            name_matches("orders.fifo", false, "topic").expect_err("rejected"),
            "`orders.fifo`: a FIFO topic's name ends in `.fifo` and only a FIFO topic's does; set `fifo: true` or drop `.fifo`"
        );
    }
}
