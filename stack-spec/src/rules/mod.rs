//! What CloudFormation and the services accept for construct option values.
//!
//! Each rule is a plain function over the value, used by the constructs at synth time
//! and, through [`Check`], by `stack!` on literals at compile time, so a value is judged
//! the same way at both stages. A rule's error reads after the option's name:
//! "`memory_size` is 20000 MB; Lambda accepts 128 to 10240 MB".

// One module per file of this directory (`s3`, `lambda`, ...), which `build.rs` lists.
include!(concat!(env!("OUT_DIR"), "/rules.rs"));

/// A literal option value, as written in a `stack!` block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Literal<'a> {
    /// A string literal.
    Str(&'a str),
    /// An integer literal.
    Int(i64),
    /// A span of time: `Duration::minutes(20)` is 1,200 seconds.
    Seconds(u64),
}

/// A rule that a construct option's value must satisfy: the function that judges it, by
/// the kind of literal it reads. The functions are this module's (`Check::Str(s3::bucket_name)`),
/// or a service's own, next to its catalog entries.
#[derive(Clone, Copy, Debug)]
pub enum Check {
    /// A rule on a string, such as [`s3::bucket_name`].
    Str(fn(&str) -> Result<(), String>),
    /// A rule on an integer, such as [`lambda::memory_size`].
    Int(fn(i64) -> Result<(), String>),
    /// A rule on a span of time in seconds, such as [`lambda::timeout`].
    Seconds(fn(u64) -> Result<(), String>),
    /// A rule on a state machine's graph, such as [`stepfunctions::graph::problems`]: it
    /// reads no scalar literal but a whole definition built of literal names, which the
    /// macro reads from the builder calls, and finds every problem, each on one name.
    StateGraph(fn(&stepfunctions::graph::Definition) -> Vec<stepfunctions::graph::Problem>),
}

impl Check {
    /// Judges a literal. A literal of another kind than the rule reads (a string where
    /// a number belongs) passes: the compiler reports the type mismatch itself; so does
    /// any literal for a [`Check::StateGraph`], which judges a graph instead.
    pub fn check(self, literal: Literal<'_>) -> Result<(), String> {
        match (self, literal) {
            (Check::Str(rule), Literal::Str(s)) => rule(s),
            (Check::Int(rule), Literal::Int(n)) => rule(n),
            (Check::Seconds(rule), Literal::Seconds(s)) => rule(s),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    // The dispatch from a literal to its rule.
    use super::*;

    #[test]
    fn literals_reach_their_rule() {
        let memory = Check::Int(lambda::memory_size);
        assert!(memory.check(Literal::Int(20_000)).is_err());
        assert!(memory.check(Literal::Int(512)).is_ok());
        let timeout = Check::Seconds(lambda::timeout);
        assert!(timeout.check(Literal::Seconds(1200)).is_err());
        let bucket = Check::Str(s3::bucket_name);
        assert!(bucket.check(Literal::Str("My_Bucket")).is_err());
    }

    #[test]
    fn a_literal_of_another_kind_is_left_to_the_compiler() {
        let memory = Check::Int(lambda::memory_size);
        assert!(memory.check(Literal::Str("big")).is_ok());
        let bucket = Check::Str(s3::bucket_name);
        assert!(bucket.check(Literal::Int(3)).is_ok());
    }
}
