//! "Did you mean" suggestions.

/// The candidate closest to `name` by edit distance, ignoring case, if it is close enough
/// to be a plausible typo.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = name.to_lowercase();
    let length = name.chars().count();
    let threshold = (length / 3).max(1) + 1;
    candidates
        .into_iter()
        // The distance is at least the difference in length: skip what cannot be close.
        .filter(|c| c.chars().count().abs_diff(length) <= threshold)
        .map(|c| (edit_distance(&lower, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= threshold)
        .min_by_key(|(d, c)| (*d, c.len()))
        .map(|(_, c)| c)
}

/// `"; did you mean `x`?"` or nothing.
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(name, candidates)
        .map(|c| format!("; did you mean `{c}`?"))
        .unwrap_or_default()
}

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev2 = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// `a`, `b` and `c`, in backticks, for "expected one of" lists; long lists are cut.
pub fn list(items: &[&str]) -> String {
    const MAX: usize = 12;
    let shown: Vec<String> = items.iter().take(MAX).map(|i| format!("`{i}`")).collect();
    let mut out = shown.join(", ");
    if items.len() > MAX {
        out.push_str(&format!(" and {} more", items.len() - MAX));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(closest("buckt", ["bucket", "func"]), Some("bucket"));
        assert_eq!(
            closest("BuckeName", ["BucketName", "Tags"]),
            Some("BucketName")
        );
        assert_eq!(closest("zzz", ["bucket", "func"]), None);
        assert_eq!(edit_distance("ab", "ba"), 1);
    }
}
