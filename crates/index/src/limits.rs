//! Limits on what one search may ask of the index, checked before any parsing or collecting.
//!
//! tantivy's query grammar is recursive and its top-k collector allocates `offset + limit`
//! slots up front, so an unchecked query string or page number lets a single request exhaust
//! the stack (about 2,200 nested parentheses) or the memory (`page=20000000&per_page=100`).
//! Every limit here is checked on the raw input in constant stack space, and a request over
//! a limit is an [`IndexError::InvalidQuery`] or [`IndexError::ResultWindow`] (HTTP 400 in
//! the web layer) naming the limit and the value.

use crate::IndexError;

/// Longest query string accepted, in bytes (UTF-8). A long UN citation list pasted into the
/// search box is a few hundred bytes; 2,000 leaves room for that and for field filters.
pub const MAX_QUERY_BYTES: usize = 2_000;

/// Deepest nesting of parentheses accepted in a query (an unclosed `(` counts as open to the
/// end). Real boolean queries nest two or three levels.
pub const MAX_QUERY_DEPTH: usize = 16;

/// Most operators (`AND`, `OR`, `NOT`, `+`, `-`, `(`) accepted in one query. Bounds the size
/// of the boolean tree independently of nesting (`NOT NOT NOT …`).
pub const MAX_QUERY_OPERATORS: usize = 128;

/// Largest `offset + limit` a search may ask for: the deepest hit that can be paged to, as
/// Elasticsearch's `index.max_result_window`. Hits beyond it are reached by narrowing the
/// query (facets, filters), not by paging; exports use their own bounded scan.
pub const MAX_RESULT_WINDOW: usize = 10_000;

/// Checks a raw query string against [`MAX_QUERY_BYTES`], [`MAX_QUERY_DEPTH`] and
/// [`MAX_QUERY_OPERATORS`], without recursion. Quoted phrases are skipped (a `(` inside
/// `"…"` is text), and `\` escapes the next character as in the query grammar.
///
/// # Errors
/// [`IndexError::InvalidQuery`] naming the limit that was exceeded.
pub fn check_query(q: &str) -> Result<(), IndexError> {
    if q.len() > MAX_QUERY_BYTES {
        return Err(IndexError::InvalidQuery {
            message: format!(
                "the query is {} bytes long; the limit is {MAX_QUERY_BYTES} bytes",
                q.len()
            ),
        });
    }
    let mut depth = 0usize;
    let mut operators = 0usize;
    let mut in_phrase = false;
    let mut escaped = false;
    let mut word_start = true;
    let mut chars = q.chars().peekable();
    while let Some(c) = chars.next() {
        if escaped {
            escaped = false;
            word_start = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '"' => in_phrase = !in_phrase,
            _ if in_phrase => {}
            '(' => {
                depth += 1;
                operators += 1;
                if depth > MAX_QUERY_DEPTH {
                    return Err(IndexError::InvalidQuery {
                        message: format!("parentheses are nested more than {MAX_QUERY_DEPTH} deep"),
                    });
                }
            }
            ')' => depth = depth.saturating_sub(1),
            '+' | '-' if word_start => operators += 1,
            'A' | 'O' | 'N' if word_start => {
                let rest: String = std::iter::once(c)
                    .chain(chars.clone().take(3))
                    .collect::<String>();
                let is_op = ["AND", "OR", "NOT"].iter().any(|op| {
                    rest.starts_with(op)
                        && rest[op.len()..]
                            .chars()
                            .next()
                            .is_none_or(|n| n.is_whitespace() || n == '(')
                });
                if is_op {
                    operators += 1;
                }
            }
            _ => {}
        }
        if operators > MAX_QUERY_OPERATORS {
            return Err(IndexError::InvalidQuery {
                message: format!("the query has more than {MAX_QUERY_OPERATORS} operators"),
            });
        }
        word_start = c.is_whitespace() || matches!(c, '(' | '+' | '-');
    }
    Ok(())
}

/// Checks that `offset + limit` stays within [`MAX_RESULT_WINDOW`].
///
/// # Errors
/// [`IndexError::ResultWindow`] with the requested end of the window.
pub fn check_window(offset: usize, limit: usize) -> Result<(), IndexError> {
    match offset.checked_add(limit) {
        Some(end) if end <= MAX_RESULT_WINDOW => Ok(()),
        end => Err(IndexError::ResultWindow {
            requested: end.unwrap_or(usize::MAX),
            max: MAX_RESULT_WINDOW,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_queries_pass() {
        for q in [
            "veto restraint",
            "(genocide OR \"ethnic cleansing\") AND NOT pillar:III",
            "+early -warning",
            "\"((((((((((((((((((((\"",
            "Côte d'Ivoire",
            "ORGANIZATION NOTE ANDEAN",
        ] {
            assert!(check_query(q).is_ok(), "{q}");
        }
    }

    #[test]
    fn deep_nesting_is_refused_without_recursion() {
        for q in [
            format!("{}veto{}", "(".repeat(3000), ")".repeat(3000)),
            format!("{}veto", "-(".repeat(20)),
            format!("{}veto", "NOT (".repeat(20)),
            "(".repeat(17),
        ] {
            let err = check_query(&q).unwrap_err().to_string();
            assert!(err.contains("nested") || err.contains("bytes"), "{err}");
        }
        let at_limit = format!("{}veto{}", "(".repeat(16), ")".repeat(16));
        assert!(check_query(&at_limit).is_ok());
    }

    #[test]
    fn long_and_operator_heavy_queries_are_refused() {
        let long = "veto ".repeat(500);
        assert!(
            check_query(&long)
                .unwrap_err()
                .to_string()
                .contains("2000 bytes")
        );
        let nots = "NOT ".repeat(200) + "veto";
        assert!(
            check_query(&nots)
                .unwrap_err()
                .to_string()
                .contains("operators")
        );
    }

    #[test]
    fn result_window_is_bounded() {
        assert!(check_window(0, 20).is_ok());
        assert!(check_window(9_990, 10).is_ok());
        assert!(check_window(9_991, 10).is_err());
        assert!(check_window(usize::MAX, 100).is_err());
        let err = check_window(1_999_999_900, 100).unwrap_err().to_string();
        assert!(err.contains("2000000000") && err.contains("10000"), "{err}");
    }
}
