//! `#[renamed_from(old)]` across the block: one old name is taken over by one resource.

use std::collections::BTreeMap;

use syn::Ident;

use crate::ast::{Item, StackInput};
use crate::ctxt::Ctxt;

/// Reports an old name that two resources claim, on the second claim.
pub(crate) fn check(input: &StackInput, cx: &Ctxt) {
    let mut claimed: BTreeMap<String, Ident> = BTreeMap::new();
    let visit = |items: &[Item], claimed: &mut BTreeMap<String, Ident>| {
        for item in items {
            let Item::Resource(r) = item else { continue };
            for attr in r.attrs.iter().filter(|a| a.path().is_ident("renamed_from")) {
                let Ok(old) = attr.parse_args::<Ident>() else {
                    continue;
                };
                match claimed.get(&old.to_string()) {
                    Some(first) => {
                        cx.error(
                            old.span(),
                            format!(
                                "`{old}` is already renamed to `{first}`; the resources of `{old}` can move to one resource only: remove this `#[renamed_from({old})]`"
                            ),
                        );
                    }
                    None => {
                        claimed.insert(old.to_string(), r.name.clone());
                    }
                }
            }
        }
    };
    visit(&input.items, &mut claimed);
    for item in &input.items {
        if let Item::For(f) = item {
            visit(&f.items, &mut claimed);
        }
    }
}

#[cfg(test)]
mod tests {
    // One old name, one new home.
    use super::*;
    use crate::test_support::{errors, input};

    fn check_errors(text: &str) -> Vec<String> {
        let cx = Ctxt::new();
        check(&input(text), &cx);
        errors(cx)
    }

    #[test]
    fn an_old_name_claimed_twice_is_reported_on_the_second_claim() {
        assert!(check_errors(
            "stack S { #[renamed_from(files)] resource photos: Bucket; #[renamed_from(logs)] resource archive: Bucket; }"
        )
        .is_empty());
        assert_eq!(
            check_errors(
                "stack S { #[renamed_from(files)] resource photos: Bucket;
                 for k in ks { #[renamed_from(files)] resource more[k]: Bucket; } }"
            ),
            ["`files` is already renamed to `photos`; the resources of `files` can move to one resource only: remove this `#[renamed_from(files)]`"]
        );
    }
}
