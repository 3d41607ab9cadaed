//! Parsing a `stack!` block into the syntax tree of [`crate::ast`].

use proc_macro2::{Delimiter, Span};
use syn::parse::{Parse, ParseStream};
use syn::{braced, bracketed, Attribute, Expr, Ident, LitStr, Path, Token, Type, Visibility};

use syn::ext::IdentExt;

use crate::ast::{
    EnvItem, Field, ForItem, GrantItem, Item, Key, LetItem, Object, OutputItem, OverrideItem,
    ParamItem, Permission, ResourceItem, StackInput, TagItem, ValueExpr,
};

mod kw {
    syn::custom_keyword!(stack);
    syn::custom_keyword!(resource);
    syn::custom_keyword!(param);
    syn::custom_keyword!(grant);
    syn::custom_keyword!(on);
    syn::custom_keyword!(output);
    syn::custom_keyword!(tag);
    syn::custom_keyword!(uses);
    syn::custom_keyword!(env);
}

impl Parse for StackInput {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis: Visibility = input.parse()?;
        input.parse::<kw::stack>().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected `stack Name { ... }`; a block declares one stack, e.g. `pub stack PhotoSky(props: Config) { ... }`",
            )
        })?;
        let name = parse_name(input, Case::Camel)?;
        let props = if input.peek(syn::token::Paren) {
            let content;
            syn::parenthesized!(content in input);
            let ident: Ident = content.parse()?;
            content.parse::<Token![:]>()?;
            let ty: Type = content.parse()?;
            Some((ident, ty))
        } else {
            None
        };
        let mut uses = Vec::new();
        if input.peek(kw::uses) {
            input.parse::<kw::uses>()?;
            loop {
                let ident = parse_name(input, Case::Snake)?;
                input.parse::<Token![:]>()?;
                let ty: Type = input.parse()?;
                uses.push((ident, ty));
                if !input.peek(Token![,]) {
                    break;
                }
                input.parse::<Token![,]>()?;
            }
        }
        let content;
        braced!(content in input);
        let mut items = Vec::new();
        while !content.is_empty() {
            items.push(content.parse()?);
        }
        if !input.is_empty() {
            return Err(input.error(
                "one `stack!` block declares one stack; start another `stack!` for the next",
            ));
        }
        Ok(StackInput {
            attrs,
            vis,
            name,
            props,
            uses,
            items,
        })
    }
}

impl Parse for Item {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        // `override` is a reserved word, so it is matched as any identifier.
        if let Some(remove) = override_keyword(input) {
            reject_attrs(&attrs, "`override` and `remove`")?;
            return parse_override(input, remove).map(Item::Override);
        }
        let lookahead = input.lookahead1();
        if lookahead.peek(kw::resource) {
            input.parse::<kw::resource>()?;
            let name = parse_name(input, Case::Snake)?;
            let key = if input.peek(syn::token::Bracket) {
                let content;
                bracketed!(content in input);
                Some(content.parse::<Expr>()?)
            } else {
                None
            };
            input.parse::<Token![:]>()?;
            let ty: Path = input.call(Path::parse_mod_style)?;
            let body = if input.peek(syn::token::Brace) {
                parse_object(input)?
            } else {
                Object {
                    span: ty
                        .segments
                        .last()
                        .map_or_else(Span::call_site, |s| s.ident.span()),
                    fields: Vec::new(),
                }
            };
            input.parse::<Option<Token![;]>>()?;
            Ok(Item::Resource(ResourceItem {
                attrs,
                name,
                key,
                ty,
                body,
            }))
        } else if lookahead.peek(kw::param) {
            input.parse::<kw::param>()?;
            let name = parse_name(input, Case::Snake)?;
            input.parse::<Token![:]>()?;
            let ty: Type = input.parse()?;
            let default = if input.peek(Token![=]) {
                input.parse::<Token![=]>()?;
                Some(input.parse()?)
            } else {
                None
            };
            input.parse::<Token![;]>()?;
            Ok(Item::Param(ParamItem {
                attrs,
                name,
                ty,
                default,
            }))
        } else if lookahead.peek(Token![let]) {
            reject_attrs(&attrs, "`let`")?;
            input.parse::<Token![let]>()?;
            let name = parse_name(input, Case::Snake)?;
            let ty = if input.peek(Token![:]) {
                input.parse::<Token![:]>()?;
                Some(input.parse()?)
            } else {
                None
            };
            input.parse::<Token![=]>()?;
            let expr: Expr = input.parse()?;
            input.parse::<Token![;]>()?;
            Ok(Item::Let(LetItem { name, ty, expr }))
        } else if lookahead.peek(kw::grant) {
            reject_attrs(&attrs, "`grant`")?;
            let keyword = input.parse::<kw::grant>()?.span;
            let principal: Ident = input.parse()?;
            let permission = if input.peek(syn::token::Bracket) {
                let content;
                bracketed!(content in input);
                let actions = content.parse_terminated(<LitStr as Parse>::parse, Token![,])?;
                input.parse::<kw::on>()?;
                Permission::Actions(actions.into_iter().collect())
            } else {
                Permission::Named(input.parse()?)
            };
            let target: Ident = input.parse()?;
            let target_resource = if input.peek(Token![.]) {
                input.parse::<Token![.]>()?;
                Some(input.parse()?)
            } else {
                None
            };
            input.parse::<Token![;]>()?;
            Ok(Item::Grant(GrantItem {
                keyword,
                principal,
                permission,
                target,
                target_resource,
            }))
        } else if lookahead.peek(kw::output) {
            input.parse::<kw::output>()?;
            let name = parse_name(input, Case::Snake)?;
            input.parse::<Token![=]>()?;
            let value = parse_value(input)?;
            input.parse::<Token![;]>()?;
            Ok(Item::Output(OutputItem { attrs, name, value }))
        } else if lookahead.peek(Token![for]) {
            reject_attrs(&attrs, "`for`")?;
            input.parse::<Token![for]>()?;
            let pat = syn::Pat::parse_single(input)?;
            input.parse::<Token![in]>()?;
            let iterable = Expr::parse_without_eager_brace(input)?;
            let content;
            braced!(content in input);
            let mut items = Vec::new();
            while !content.is_empty() {
                // Rejected before it is parsed, so the error is on the declaration.
                let ahead = content.fork();
                ahead.call(Attribute::parse_outer)?;
                if let Ok(word) = ahead.call(Ident::parse_any) {
                    if !matches!(word.to_string().as_str(), "resource" | "grant" | "let") {
                        return Err(syn::Error::new(
                            word.span(),
                            "a `for` holds `resource name[key]: ...`, `grant` and `let` declarations",
                        ));
                    }
                }
                let item: Item = content.parse()?;
                match &item {
                    Item::Resource(r) if r.key.is_none() => {
                        return Err(syn::Error::new(
                            r.name.span(),
                            format!("a resource declared in a `for` needs a key naming each element: `resource {}[key]: ...`", r.name),
                        ))
                    }
                    Item::Resource(_) | Item::Grant(_) | Item::Let(_) => {}
                    _ => {
                        return Err(content.error(
                            "a `for` holds `resource name[key]: ...`, `grant` and `let` declarations",
                        ))
                    }
                }
                items.push(item);
            }
            Ok(Item::For(ForItem {
                pat,
                iterable,
                items,
            }))
        } else if lookahead.peek(kw::tag) {
            reject_attrs(&attrs, "`tag`")?;
            input.parse::<kw::tag>()?;
            let key: LitStr = input.parse()?;
            input.parse::<Token![=]>()?;
            let value: Expr = input.parse()?;
            input.parse::<Token![;]>()?;
            Ok(Item::Tag(TagItem { key, value }))
        } else if lookahead.peek(kw::env) {
            reject_attrs(&attrs, "`env`")?;
            let keyword = input.parse::<kw::env>()?.span;
            let content;
            braced!(content in input);
            let fields = content.parse_terminated(
                |field: ParseStream<'_>| {
                    let key: Ident = field.parse()?;
                    field.parse::<Token![:]>()?;
                    Ok((key, field.parse::<Expr>()?))
                },
                Token![,],
            )?;
            input.parse::<Option<Token![;]>>()?;
            Ok(Item::Env(EnvItem {
                keyword,
                fields: fields.into_iter().collect(),
            }))
        } else {
            Err(syn::Error::new(
                lookahead.error().span(),
                "expected a declaration: `resource`, `param`, `let`, `grant`, `output`, `tag`, `env`, `for`, `override` or `remove`",
            ))
        }
    }
}

/// How a declared name is written: stacks are types, everything else a field.
#[derive(Clone, Copy)]
enum Case {
    /// `PhotoSky`.
    Camel,
    /// `photo_bucket`.
    Snake,
}

/// A declared name. A name written with `-` (`my-bucket`) is reported as one, with the
/// identifier to write instead, rather than as the parse error after its first word.
fn parse_name(input: ParseStream<'_>, case: Case) -> syn::Result<Ident> {
    let name: Ident = input.parse()?;
    if !input.peek(Token![-]) {
        return Ok(name);
    }
    let mut words = vec![name.to_string()];
    let mut tokens = proc_macro2::TokenStream::new();
    tokens.extend([proc_macro2::TokenTree::Ident(name.clone())]);
    while input.peek(Token![-]) && (input.peek2(Ident::peek_any) || input.peek2(syn::LitInt)) {
        let dash: Token![-] = input.parse()?;
        tokens.extend(quote::ToTokens::into_token_stream(dash));
        let word: proc_macro2::TokenTree = input.parse()?;
        words.push(word.to_string());
        tokens.extend([word]);
    }
    let written = words.join("-");
    let (kind, suggestion) = match case {
        Case::Camel => (
            "stack names are UpperCamelCase identifiers",
            words
                .iter()
                .map(|w| {
                    let mut chars = w.chars();
                    chars.next().map_or_else(String::new, |c| {
                        c.to_uppercase().chain(chars).collect::<String>()
                    })
                })
                .collect::<String>(),
        ),
        Case::Snake => (
            "names are snake_case identifiers",
            words.join("_").to_lowercase(),
        ),
    };
    Err(syn::Error::new_spanned(
        tokens,
        format!("`{written}` is not a name: {kind}; write `{suggestion}`"),
    ))
}

/// `Some(false)` before `override`, `Some(true)` before `remove` followed by a name.
fn override_keyword(input: ParseStream<'_>) -> Option<bool> {
    let fork = input.fork();
    let word = fork.call(Ident::parse_any).ok()?;
    let remove = match word.to_string().as_str() {
        "override" => false,
        "remove" if fork.peek(Ident::peek_any) => true,
        _ => return None,
    };
    Some(remove)
}

/// `override target.A.0.B = value;` or `remove target.A;`.
fn parse_override(input: ParseStream<'_>, remove: bool) -> syn::Result<OverrideItem> {
    let keyword = input.call(Ident::parse_any)?.span();
    let target: Ident = input.parse()?;
    let mut path = Vec::new();
    while input.peek(Token![.]) {
        input.parse::<Token![.]>()?;
        if input.peek(syn::LitInt) {
            let index: syn::LitInt = input.parse()?;
            path.push((index.base10_digits().to_owned(), index.span()));
        } else if input.peek(syn::LitFloat) {
            // `Items.0.1` reads `0.1` as one number: two list indexes.
            let indexes: syn::LitFloat = input.parse()?;
            for index in indexes.base10_digits().split('.') {
                path.push((index.to_owned(), indexes.span()));
            }
        } else {
            let name = input.call(Ident::parse_any)?;
            let text = name.to_string();
            path.push((
                text.strip_prefix("r#").unwrap_or(&text).to_owned(),
                name.span(),
            ));
        }
    }
    if path.is_empty() {
        return Err(syn::Error::new(
            target.span(),
            format!("name the property to change: `override {target}.Property = value;`"),
        ));
    }
    let value = if remove {
        None
    } else {
        input.parse::<Token![=]>()?;
        Some(parse_value(input)?)
    };
    input.parse::<Token![;]>()?;
    Ok(OverrideItem {
        keyword,
        target,
        path,
        value,
    })
}

fn reject_attrs(attrs: &[Attribute], what: &str) -> syn::Result<()> {
    match attrs.iter().find(|a| !a.path().is_ident("doc")) {
        Some(attr) => Err(syn::Error::new_spanned(
            attr,
            format!("attributes are not allowed on {what}"),
        )),
        None => Ok(()),
    }
}

fn parse_object(input: ParseStream<'_>) -> syn::Result<Object> {
    let content;
    let brace = braced!(content in input);
    let mut fields = Vec::new();
    while !content.is_empty() {
        let key = if content.peek(LitStr) {
            Key::Str(content.parse()?)
        } else {
            Key::Ident(content.call(syn::ext::IdentExt::parse_any)?)
        };
        content.parse::<Token![:]>()?;
        let value = parse_value(&content)?;
        fields.push(Field { key, value });
        if content.is_empty() {
            break;
        }
        content.parse::<Token![,]>()?;
    }
    Ok(Object {
        span: brace.span.join(),
        fields,
    })
}

/// Parses a property value: an object, a list, a construct option literal, or Rust.
pub(crate) fn parse_value(input: ParseStream<'_>) -> syn::Result<ValueExpr> {
    if input.peek(syn::token::Brace) {
        return parse_object(input).map(ValueExpr::Object);
    }
    if input.peek(syn::token::Bracket) {
        let content;
        let bracket = bracketed!(content in input);
        let mut items = Vec::new();
        while !content.is_empty() {
            items.push(parse_value(&content)?);
            if content.is_empty() {
                break;
            }
            content.parse::<Token![,]>()?;
        }
        return Ok(ValueExpr::List {
            span: bracket.span.join(),
            items,
        });
    }
    if starts_struct_literal(input) {
        let path = input.call(Path::parse_mod_style)?;
        let body = parse_object(input)?;
        return Ok(ValueExpr::Struct { path, body });
    }
    input.parse().map(ValueExpr::Rust)
}

/// `Type { ... }` or `module::Type { ... }` where the last segment starts uppercase.
fn starts_struct_literal(input: ParseStream<'_>) -> bool {
    let fork = input.fork();
    let Ok(path) = fork.call(Path::parse_mod_style) else {
        return false;
    };
    let upper = path.segments.last().is_some_and(|s| {
        s.ident
            .to_string()
            .starts_with(|c: char| c.is_ascii_uppercase())
    });
    upper && fork.cursor().group(Delimiter::Brace).is_some()
}

#[cfg(test)]
mod tests {
    // Every declaration and value form parses into its syntax tree; malformed ones fail with their message.
    use super::*;
    use crate::test_support::input;

    fn parse_error(text: &str) -> String {
        match syn::parse_str::<StackInput>(text) {
            Ok(_) => panic!("{text} should not parse"),
            Err(e) => e.to_string(),
        }
    }

    fn value(text: &str) -> ValueExpr {
        syn::parse::Parser::parse_str(parse_value, text).expect("a value")
    }

    #[test]
    fn the_header_takes_attributes_visibility_props_and_used_stacks() {
        let stack = input(
            "/// Photos.
            pub stack PhotoSky(props: Config) uses network: Network, data: Data {}",
        );
        assert_eq!(stack.name, "PhotoSky");
        assert_eq!(stack.attrs.len(), 1);
        assert!(matches!(stack.vis, Visibility::Public(_)));
        let (props, ty) = stack.props.expect("props");
        assert_eq!(props, "props");
        assert!(matches!(ty, Type::Path(p) if p.path.is_ident("Config")));
        let used: Vec<String> = stack.uses.iter().map(|(n, _)| n.to_string()).collect();
        assert_eq!(used, ["network", "data"]);
        assert!(stack.items.is_empty());
        let bare = input("stack Empty {}");
        assert!(bare.props.is_none() && bare.uses.is_empty());
    }

    #[test]
    fn resources_take_a_path_and_an_optional_body() {
        let stack = input(
            "stack S {
                #[removal_policy(Retain)]
                resource queue: AWS::SQS::Queue { QueueName: \"q\", \"DelaySeconds\": 5 }
                resource bucket: stack_core::constructs::Bucket;
                resource plain: Bucket
            }",
        );
        let [Item::Resource(queue), Item::Resource(bucket), Item::Resource(plain)] =
            &stack.items[..]
        else {
            panic!("three resources");
        };
        assert_eq!(queue.name, "queue");
        assert_eq!(queue.attrs.len(), 1);
        assert_eq!(queue.ty.segments.len(), 3);
        let keys: Vec<String> = queue.body.fields.iter().map(|f| f.key.name()).collect();
        assert_eq!(keys, ["QueueName", "DelaySeconds"]);
        assert!(queue.key.is_none());
        assert_eq!(bucket.ty.segments.len(), 3);
        assert!(bucket.body.fields.is_empty());
        assert!(plain.body.fields.is_empty());
    }

    #[test]
    fn params_lets_outputs_and_tags_parse() {
        let stack = input(
            "stack S {
                /// The stage.
                param stage: String = \"prod\";
                param size: u32;
                let name: String = format!(\"{}-x\", 1);
                let plain = 2;
                output url = site.url;
                tag \"team\" = \"photos\";
            }",
        );
        let [Item::Param(stage), Item::Param(size), Item::Let(name), Item::Let(plain), Item::Output(url), Item::Tag(tag)] =
            &stack.items[..]
        else {
            panic!("two params, two lets, an output and a tag");
        };
        assert_eq!(stage.name, "stage");
        assert_eq!(stage.attrs.len(), 1);
        assert!(stage.default.is_some());
        assert!(size.default.is_none());
        assert!(name.ty.is_some());
        assert!(plain.ty.is_none());
        assert_eq!(url.name, "url");
        assert!(matches!(url.value, ValueExpr::Rust(Expr::Field(_))));
        assert_eq!(tag.key.value(), "team");
    }

    #[test]
    fn grants_name_a_permission_or_list_actions() {
        let stack = input(
            "stack S uses storage: Storage {
                grant handler read_write bucket;
                grant handler [\"sqs:SendMessage\", \"sqs:GetQueueUrl\"] on queue;
                grant handler read storage.files;
            }",
        );
        let [Item::Grant(named), Item::Grant(actions), Item::Grant(foreign)] = &stack.items[..]
        else {
            panic!("three grants");
        };
        assert_eq!(named.principal, "handler");
        assert!(matches!(&named.permission, Permission::Named(p) if p == "read_write"));
        assert_eq!(named.target, "bucket");
        assert!(named.target_resource.is_none());
        let Permission::Actions(list) = &actions.permission else {
            panic!("actions");
        };
        let list: Vec<String> = list.iter().map(LitStr::value).collect();
        assert_eq!(list, ["sqs:SendMessage", "sqs:GetQueueUrl"]);
        assert_eq!(actions.target, "queue");
        assert_eq!(foreign.target, "storage");
        assert_eq!(
            foreign.target_resource.as_ref().map(ToString::to_string),
            Some("files".to_owned())
        );
    }

    #[test]
    fn a_for_holds_keyed_resources_grants_and_lets() {
        let stack = input(
            "stack S(props: P) {
                for (name, size) in props.functions.iter() {
                    let memory = size * 2;
                    resource functions[name]: Function { memory_size: memory }
                    grant functions read bucket;
                }
            }",
        );
        let [Item::For(f)] = &stack.items[..] else {
            panic!("one for");
        };
        assert!(matches!(f.pat, syn::Pat::Tuple(_)));
        assert!(matches!(f.iterable, Expr::MethodCall(_)));
        assert!(matches!(
            &f.items[..],
            [Item::Let(_), Item::Resource(r), Item::Grant(_)] if r.key.is_some()
        ));
    }

    #[test]
    fn overrides_and_removes_read_their_path() {
        let stack = input(
            "stack S {
                override queue.RedrivePolicy.maxReceiveCount = 5;
                override api.Items.0.1.type = \"x\";
                remove handler.role.Policies;
            }",
        );
        let [Item::Override(set), Item::Override(indexed), Item::Override(remove)] =
            &stack.items[..]
        else {
            panic!("three overrides");
        };
        let path = |o: &OverrideItem| -> Vec<String> {
            o.path.iter().map(|(segment, _)| segment.clone()).collect()
        };
        assert_eq!(set.target, "queue");
        assert_eq!(path(set), ["RedrivePolicy", "maxReceiveCount"]);
        assert!(set.value.is_some());
        assert_eq!(path(indexed), ["Items", "0", "1", "type"]);
        assert_eq!(path(remove), ["role", "Policies"]);
        assert!(remove.value.is_none());
        // `remove` not followed by a name is no declaration.
        assert!(parse_error("stack S { remove; }").starts_with("expected a declaration"));
    }

    #[test]
    fn values_are_objects_lists_option_literals_or_rust() {
        let ValueExpr::Object(obj) = value("{ a: 1, \"b-c\": [x, { d: 2 }] }") else {
            panic!("an object");
        };
        assert_eq!(obj.fields.len(), 2);
        assert_eq!(obj.fields[1].key.name(), "b-c");
        assert!(matches!(&obj.fields[1].value, ValueExpr::List { items, .. } if items.len() == 2));
        assert!(matches!(
            value("ApiRoute { path: \"/\" }"),
            ValueExpr::Struct { body, .. } if body.fields.len() == 1
        ));
        assert!(matches!(
            value("stack_core::constructs::CorsRule { }"),
            ValueExpr::Struct { .. }
        ));
        // A lowercase path before braces is a Rust struct expression, not an option literal.
        assert!(matches!(
            value("name { a: 1 }"),
            ValueExpr::Rust(Expr::Struct(_))
        ));
        assert!(matches!(
            value("bucket.arn"),
            ValueExpr::Rust(Expr::Field(_))
        ));
        assert!(matches!(value("[]"), ValueExpr::List { items, .. } if items.is_empty()));
        assert_eq!(
            Key::Ident(syn::parse_str("r#type").expect("ident")).name(),
            "type"
        );
    }

    #[test]
    fn malformed_headers_say_what_a_block_is() {
        assert!(
            parse_error("struct S {}").starts_with("expected `stack Name { ... }`"),
            "{}",
            parse_error("struct S {}")
        );
        assert_eq!(
            parse_error("stack A {} stack B {}"),
            "one `stack!` block declares one stack; start another `stack!` for the next"
        );
    }

    #[test]
    fn malformed_items_fail_with_their_message() {
        assert_eq!(
            parse_error("stack S { resources a: Bucket; }"),
            "expected a declaration: `resource`, `param`, `let`, `grant`, `output`, `tag`, `env`, `for`, `override` or `remove`"
        );
        assert_eq!(
            parse_error("stack S { for f in fs { resource a: Bucket; } }"),
            "a resource declared in a `for` needs a key naming each element: `resource a[key]: ...`"
        );
        assert!(parse_error("stack S { for f in fs { output o = 1; } }")
            .ends_with("a `for` holds `resource name[key]: ...`, `grant` and `let` declarations"));
        assert_eq!(
            parse_error("stack S { #[inline] let a = 1; }"),
            "attributes are not allowed on `let`"
        );
        assert_eq!(
            parse_error("stack S { #[x] grant f read b; }"),
            "attributes are not allowed on `grant`"
        );
        assert_eq!(
            parse_error("stack S { #[x] override q.A = 1; }"),
            "attributes are not allowed on `override` and `remove`"
        );
        assert_eq!(
            parse_error("stack S { override queue = 1; }"),
            "name the property to change: `override queue.Property = value;`"
        );
        assert_eq!(parse_error("stack S { param p: u32 }"), "expected `;`");
        assert_eq!(
            parse_error("stack S { grant f [\"s3:GetObject\"] b; }"),
            "expected `on`"
        );
        // Doc comments are allowed on every item.
        let stack =
            input("stack S { #[doc = \"Why.\"] let a = 1; #[doc = \"Who.\"] tag \"t\" = 1; }");
        assert_eq!(stack.items.len(), 2);
    }

    #[test]
    fn an_item_a_for_cannot_hold_is_reported_on_that_item() {
        let text = "stack S {
            for f in fs {
                output o = 1;
            }
        }";
        let Err(e) = syn::parse_str::<StackInput>(text) else {
            panic!("{text} should not parse");
        };
        assert_eq!(
            e.to_string(),
            "a `for` holds `resource name[key]: ...`, `grant` and `let` declarations"
        );
        assert_eq!(e.span().start().line, 3);
    }

    #[test]
    fn a_name_with_dashes_is_reported_with_the_identifier_to_write() {
        assert_eq!(
            parse_error("stack S { resource my-bucket: Bucket {} }"),
            "`my-bucket` is not a name: names are snake_case identifiers; write `my_bucket`"
        );
        assert_eq!(
            parse_error("stack S { output api-url-2 = api.url; }"),
            "`api-url-2` is not a name: names are snake_case identifiers; write `api_url_2`"
        );
        assert_eq!(
            parse_error("stack S uses my-net: Network {}"),
            "`my-net` is not a name: names are snake_case identifiers; write `my_net`"
        );
        assert_eq!(
            parse_error("stack photo-sky {}"),
            "`photo-sky` is not a name: stack names are UpperCamelCase identifiers; write `PhotoSky`"
        );
    }
}
