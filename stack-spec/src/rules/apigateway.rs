//! Amazon API Gateway (REST APIs): methods and stage names.

use crate::suggest;

/// The methods a REST API route can have; `ANY` matches every method.
pub const METHODS: &[&str] = &[
    "ANY", "GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS",
];

/// A route's method, in any case; returns its upper-case form.
pub fn method(method: &str) -> Result<String, String> {
    let upper = method.to_ascii_uppercase();
    if METHODS.contains(&upper.as_str()) {
        return Ok(upper);
    }
    Err(match suggest::closest(&upper, METHODS.iter().copied()) {
        Some(close) => format!("`{method}` is not an HTTP method; did you mean `{close}`?"),
        None => format!(
            "`{method}` is not an HTTP method; API Gateway accepts {}",
            suggest::list(METHODS)
        ),
    })
}

/// The methods a CORS preflight can allow, as browsers send them (upper case).
pub const CORS_METHODS: [&str; 7] = ["OPTIONS", "GET", "PUT", "POST", "DELETE", "PATCH", "HEAD"];

/// A method a CORS preflight allows: one of [`CORS_METHODS`], or `ANY` for all of them.
pub fn cors_method(method: &str) -> Result<(), String> {
    if method == "ANY" || CORS_METHODS.contains(&method) {
        return Ok(());
    }
    let upper = method.to_ascii_uppercase();
    Err(
        if upper == "ANY" || CORS_METHODS.contains(&upper.as_str()) {
            format!("`{method}` is written in upper case: `{upper}`")
        } else {
            match suggest::closest(&upper, CORS_METHODS.iter().copied()) {
                Some(close) => format!("`{method}` is not an HTTP method; did you mean `{close}`?"),
                None => format!(
                    "`{method}` is not an HTTP method; CORS allows `ANY` or {}",
                    suggest::list(&CORS_METHODS)
                ),
            }
        },
    )
}

/// A stage name: 1 to 128 letters, digits, `-` or `_`.
pub fn stage_name(name: &str) -> Result<(), String> {
    let valid = !name.is_empty()
        && name.len() <= 128
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if valid {
        Ok(())
    } else {
        Err(format!(
            "`{name}` must be 1 to 128 letters, digits, `-` or `_`"
        ))
    }
}

#[cfg(test)]
mod tests {
    // Methods in any case; misspellings get a suggestion.
    use super::*;

    #[test]
    fn methods() {
        assert_eq!(method("post").as_deref(), Ok("POST"));
        assert_eq!(method("ANY").as_deref(), Ok("ANY"));
        let error = method("GETT").expect_err("rejected");
        assert!(error.ends_with("did you mean `GET`?"), "{error}");
        let error = method("BREW").expect_err("rejected");
        assert!(error.contains("accepts `ANY`, `GET`"), "{error}");
    }

    #[test]
    fn cors_methods() {
        assert!(cors_method("GET").is_ok());
        assert!(cors_method("ANY").is_ok());
        assert!(cors_method("get")
            .expect_err("lower case")
            .contains("`GET`"));
        assert!(cors_method("FETCH").is_err());
    }

    #[test]
    fn stage_names() {
        assert!(stage_name("v1").is_ok());
        assert!(stage_name("prod stage").is_err());
        assert!(stage_name("").is_err());
    }
}
