//! Amazon API Gateway HTTP and WebSocket APIs: route paths, CORS max age and integration
//! timeouts of HTTP APIs (route methods follow the REST APIs' rule,
//! [`super::apigateway::method`]); route keys, API key selection expressions and
//! integration timeouts of WebSocket APIs (stage names follow
//! [`super::apigateway::stage_name`]).

use crate::suggest;

/// The routes API Gateway predefines for a WebSocket API, and the option that sets each.
const PREDEFINED_ROUTES: [(&str, &str); 3] = [
    ("$connect", "connect_route_options"),
    ("$disconnect", "disconnect_route_options"),
    ("$default", "default_route_options"),
];

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

/// The key of a custom WebSocket route, the value the route selection expression picks
/// from a message (`sendMessage`): not empty, without surrounding whitespace, and not
/// starting with `$`, which API Gateway keeps for `$connect`, `$disconnect` and
/// `$default` (each set by its own option).
pub fn websocket_route_key(key: &str) -> Result<(), String> {
    if key.is_empty() {
        return Err(
            "is empty; a route key is the value clients send in the field the route selection expression names, e.g. `sendMessage`"
                .to_owned(),
        );
    }
    if let Some((_, option)) = PREDEFINED_ROUTES.iter().find(|(k, _)| *k == key) {
        return Err(format!(
            "`{key}` is a predefined route; set it with `{option}: WebSocketRouteOptions {{ .. }}` instead of in `routes`"
        ));
    }
    if key.starts_with('$') {
        let hint = match suggest::closest(key, PREDEFINED_ROUTES.iter().map(|(k, _)| *k)) {
            Some(close) => format!("; did you mean `{close}`?"),
            None => "; custom route keys do not start with `$`".to_owned(),
        };
        return Err(format!(
            "`{key}` is not a route API Gateway predefines (`$connect`, `$disconnect`, `$default`){hint}"
        ));
    }
    if key.trim() != key || key.chars().any(char::is_control) {
        return Err(format!(
            "`{}` has surrounding whitespace or control characters; clients would have to send them too",
            key.escape_debug()
        ));
    }
    Ok(())
}

/// A WebSocket API's API key selection expression: the header clients send the key in
/// (`$request.header.x-api-key`) or the key a Lambda authorizer returns
/// (`$context.authorizer.usageIdentifierKey`), the only two API Gateway accepts.
pub fn api_key_selection_expression(expression: &str) -> Result<(), String> {
    const ACCEPTED: [&str; 2] = [
        "$request.header.x-api-key",
        "$context.authorizer.usageIdentifierKey",
    ];
    if ACCEPTED.contains(&expression) {
        return Ok(());
    }
    let hint = match suggest::closest(expression, ACCEPTED) {
        Some(close) => format!("did you mean `{close}`?"),
        None => format!("API Gateway accepts {}", suggest::list(&ACCEPTED)),
    };
    Err(format!(
        "`{expression}` is not an API key selection expression; {hint}"
    ))
}

/// How long a WebSocket API waits for an integration: 1 to 29 seconds.
pub fn websocket_integration_timeout(seconds: u64) -> Result<(), String> {
    if (1..=29).contains(&seconds) {
        Ok(())
    } else {
        Err(format!(
            "is {seconds} seconds; WebSocket APIs accept 1 to 29 seconds"
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

    #[test]
    fn websocket_route_keys() {
        for good in ["sendMessage", "send-message", "a", "chat.send"] {
            assert_eq!(websocket_route_key(good), Ok(()), "{good}");
        }
        let cases = [
            ("", "is empty"),
            ("$connect", "set it with `connect_route_options"),
            ("$default", "set it with `default_route_options"),
            ("$conect", "did you mean `$connect`?"),
            ("$ping", "custom route keys do not start with `$`"),
            (" send", "surrounding whitespace"),
            ("send\n", "surrounding whitespace"),
        ];
        for (bad, why) in cases {
            let error = websocket_route_key(bad).expect_err(bad);
            assert!(error.contains(why), "{bad}: {error}");
        }
    }

    #[test]
    fn api_key_selection_expressions() {
        assert!(api_key_selection_expression("$request.header.x-api-key").is_ok());
        assert!(api_key_selection_expression("$context.authorizer.usageIdentifierKey").is_ok());
        let error = api_key_selection_expression("$request.header.x-api-kay").expect_err("typo");
        assert!(
            error.ends_with("did you mean `$request.header.x-api-key`?"),
            "{error}"
        );
        let error = api_key_selection_expression("header").expect_err("unknown");
        assert!(error.contains("accepts"), "{error}");
        assert!(websocket_integration_timeout(29).is_ok());
        assert!(websocket_integration_timeout(30).is_err());
        assert!(websocket_integration_timeout(0).is_err());
    }
}
