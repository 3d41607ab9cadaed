//! Amazon API Gateway HTTP APIs: route paths, CORS max age and integration timeouts.
//! Route methods follow the REST APIs' rule, [`super::apigateway::method`].

/// A route path: `/`, or `/`-separated non-empty segments, where a path parameter
/// (`{id}`) or the greedy parameter (`{proxy+}`, last only) fills a whole segment.
pub fn route_path(path: &str) -> Result<(), String> {
    let Some(rest) = path.strip_prefix('/') else {
        return Err(format!("`{path}` must start with `/`, e.g. `/{path}`"));
    };
    if rest.is_empty() {
        return Ok(());
    }
    let segments: Vec<&str> = rest.split('/').collect();
    for (i, segment) in segments.iter().enumerate() {
        if segment.is_empty() {
            return Err(format!(
                "`{path}` has an empty segment (`//` or a trailing `/`)"
            ));
        }
        if !segment.contains(['{', '}']) {
            continue;
        }
        let name = segment
            .strip_prefix('{')
            .and_then(|s| s.strip_suffix('}'))
            .filter(|name| !name.is_empty() && !name.contains(['{', '}']));
        let Some(name) = name else {
            return Err(format!(
                "`{path}`: `{segment}` mixes a parameter with text; a parameter is a whole segment, e.g. `/{{id}}`"
            ));
        };
        if let Some(greedy) = name.strip_suffix('+') {
            if greedy.is_empty() {
                return Err(format!(
                    "`{path}`: `{segment}` has no name, e.g. `{{proxy+}}`"
                ));
            }
            if i + 1 != segments.len() {
                return Err(format!(
                    "`{path}`: the greedy parameter `{segment}` must be the last segment"
                ));
            }
        }
    }
    Ok(())
}

/// How long browsers may cache a CORS preflight answer: at most one day.
pub fn cors_max_age(seconds: u64) -> Result<(), String> {
    if seconds <= 86_400 {
        Ok(())
    } else {
        Err(format!(
            "is {seconds} seconds; HTTP APIs accept 0 to 86400 seconds (one day)"
        ))
    }
}

/// How long an integration may take: 1 to 30 seconds for an HTTP API.
pub fn integration_timeout(seconds: u64) -> Result<(), String> {
    if (1..=30).contains(&seconds) {
        Ok(())
    } else {
        Err(format!(
            "is {seconds} seconds; HTTP APIs accept 1 to 30 seconds"
        ))
    }
}

#[cfg(test)]
mod tests {
    // Paths segment by segment; the time limits at their edges.
    use super::*;

    #[test]
    fn paths() {
        for good in [
            "/",
            "/orders",
            "/orders/{id}",
            "/files/{proxy+}",
            "/{proxy+}",
            "/a-b/c.d",
        ] {
            assert_eq!(route_path(good), Ok(()), "{good}");
        }
        let cases = [
            ("orders", "must start with `/`"),
            ("/orders/", "empty segment"),
            ("/a//b", "empty segment"),
            ("/a/{proxy+}/b", "must be the last segment"),
            ("/a/x{id}", "mixes a parameter"),
            ("/a/{}", "mixes a parameter"),
            ("/a/{id", "mixes a parameter"),
            ("/a/{+}", "has no name"),
        ];
        for (bad, why) in cases {
            let error = route_path(bad).expect_err(bad);
            assert!(error.contains(why), "{bad}: {error}");
        }
    }

    #[test]
    fn limits() {
        assert!(cors_max_age(0).is_ok());
        assert!(cors_max_age(86_400).is_ok());
        assert!(cors_max_age(86_401).is_err());
        assert!(integration_timeout(30).is_ok());
        assert!(integration_timeout(0).is_err());
        assert!(integration_timeout(31).is_err());
    }
}
