//! Amazon S3: bucket names and the key filters of bucket notifications.

/// A bucket name as S3's general-purpose bucket naming rules allow it.
pub fn bucket_name(name: &str) -> Result<(), String> {
    why_not_bucket_name(name).map_err(|why| format!("`{name}` {why}"))
}

fn why_not_bucket_name(name: &str) -> Result<(), &'static str> {
    let bytes = name.as_bytes();
    if !(3..=63).contains(&bytes.len()) {
        return Err("must be 3 to 63 characters long");
    }
    if !bytes
        .iter()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'.' || *b == b'-')
    {
        return Err("may hold only lowercase letters, digits, `.` and `-`");
    }
    let alnum = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if !bytes.first().is_some_and(alnum) || !bytes.last().is_some_and(alnum) {
        return Err("must start and end with a lowercase letter or digit");
    }
    if name.contains("..") {
        return Err("must not contain `..`");
    }
    if name.split('.').count() == 4 && name.split('.').all(|p| p.parse::<u8>().is_ok()) {
        return Err("must not look like an IP address");
    }
    if name.starts_with("xn--") || name.starts_with("sthree-") {
        return Err("must not start with `xn--` or `sthree-`");
    }
    if name.ends_with("-s3alias") || name.ends_with("--ol-s3") || name.ends_with(".mrap") {
        return Err("must not end with a reserved suffix (`-s3alias`, `--ol-s3`, `.mrap`)");
    }
    Ok(())
}

/// A bucket notification's `prefix` or `suffix`: not empty (leaving it out matches every
/// key) and at most 1024 bytes, the longest object key.
pub fn key_filter(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("is empty; leave it out to match every key".to_owned());
    }
    if value.len() > 1024 {
        return Err(format!(
            "is {} bytes long; an object key, and so a filter, has at most 1024",
            value.len()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    // S3's naming rules, one per case.
    use super::*;

    #[test]
    fn bucket_names() {
        assert!(bucket_name("photosky-example-bucket").is_ok());
        assert_eq!(
            bucket_name("My_Bucket").expect_err("rejected"),
            "`My_Bucket` may hold only lowercase letters, digits, `.` and `-`"
        );
        for bad in [
            "ab",
            "-abc",
            "a..b",
            "192.168.1.1",
            "xn--abc",
            "abc-s3alias",
            &"a".repeat(64),
        ] {
            assert!(bucket_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn key_filters() {
        assert!(key_filter("incoming/").is_ok());
        assert_eq!(
            key_filter("").expect_err("rejected"),
            "is empty; leave it out to match every key"
        );
        assert!(key_filter(&"a".repeat(1025)).is_err());
    }
}
