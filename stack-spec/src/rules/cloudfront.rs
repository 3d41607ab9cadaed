//! Amazon CloudFront: the status codes of custom error responses, their pages, and the
//! security headers a response headers policy sets.

/// The HTTP errors CloudFront can answer with a custom error response.
pub const ERROR_CODES: &[i64] = &[400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504];

/// The status codes a custom error response can send instead: `200` or an error CloudFront
/// knows.
pub const RESPONSE_CODES: &[i64] = &[200, 400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504];

/// The longest `Strict-Transport-Security` max-age a response headers policy accepts:
/// about 34 years (2^30 seconds).
const MAX_HSTS_SECONDS: u64 = 1 << 30;

/// The error a custom error response replaces.
pub fn error_code(code: i64) -> Result<(), String> {
    if ERROR_CODES.contains(&code) {
        return Ok(());
    }
    Err(format!(
        "is {code}; CloudFront customizes only {}",
        codes(ERROR_CODES)
    ))
}

/// The status a custom error response sends instead.
pub fn response_code(code: i64) -> Result<(), String> {
    if RESPONSE_CODES.contains(&code) {
        return Ok(());
    }
    Err(format!(
        "is {code}; CloudFront answers an error with {}",
        codes(RESPONSE_CODES)
    ))
}

/// The page a custom error response serves: a path from the distribution's root, starting
/// with `/`, at most 4096 characters.
pub fn response_page_path(path: &str) -> Result<(), String> {
    if !path.starts_with('/') {
        return Err(format!(
            "`{path}` is a path from the distribution's root and starts with `/`: `/{path}`"
        ));
    }
    if path.len() > 4096 || path.chars().any(char::is_whitespace) {
        return Err(format!(
            "`{path}` must be at most 4096 characters without spaces"
        ));
    }
    Ok(())
}

/// The `Strict-Transport-Security` max-age: from 1 second to 2^30 seconds.
pub fn hsts_max_age(seconds: u64) -> Result<(), String> {
    if (1..=MAX_HSTS_SECONDS).contains(&seconds) {
        return Ok(());
    }
    Err(format!(
        "is {seconds} s; CloudFront accepts 1 s to {MAX_HSTS_SECONDS} s, and browsers expect `Duration::days(365)` or more"
    ))
}

fn codes(codes: &[i64]) -> String {
    let shown: Vec<String> = codes.iter().map(|c| format!("`{c}`")).collect();
    shown.join(", ")
}

#[cfg(test)]
mod tests {
    // Error and response codes CloudFront knows, page paths from the root, HSTS range.
    use super::*;

    #[test]
    fn error_and_response_codes() {
        assert!(error_code(403).is_ok());
        assert!(error_code(504).is_ok());
        let error = error_code(200).expect_err("not an error");
        assert!(error.contains("customizes only `400`, `403`"), "{error}");
        assert!(error_code(418).is_err());
        assert!(response_code(200).is_ok());
        assert!(response_code(302).is_err());
    }

    #[test]
    fn page_paths_start_at_the_root() {
        assert!(response_page_path("/error.html").is_ok());
        let error = response_page_path("error.html").expect_err("relative");
        assert!(error.ends_with("`/error.html`"), "{error}");
        assert!(response_page_path("/a b.html").is_err());
    }

    #[test]
    fn hsts_max_age_range() {
        assert!(hsts_max_age(31_536_000).is_ok());
        assert!(hsts_max_age(0).is_err());
        assert!(hsts_max_age(1 << 31).is_err());
    }
}
