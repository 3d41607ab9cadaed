//! Parsing a `stack!` block into the syntax tree of [`crate::ast`].

use proc_macro2::{Delimiter, Span};
use syn::parse::{Parse, ParseStream};
use syn::{braced, bracketed, Attribute, Expr, Ident, LitStr, Path, Token, Type, Visibility};

use syn::ext::IdentExt;

use crate::ast::{
    Field, ForItem, GrantItem, Item, Key, LetItem, Object, OutputItem, OverrideItem, ParamItem,
    Permission, ResourceItem, StackInput, TagItem, ValueExpr,
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
        let name: Ident = input.parse()?;
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
                let ident: Ident = input.parse()?;
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
            let name: Ident = input.parse()?;
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
            let name: Ident = input.parse()?;
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
            let name: Ident = input.parse()?;
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
            let name: Ident = input.parse()?;
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
        } else {
            Err(syn::Error::new(
                lookahead.error().span(),
                "expected a declaration: `resource`, `param`, `let`, `grant`, `output`, `tag`, `for`, `override` or `remove`",
            ))
        }
    }
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
