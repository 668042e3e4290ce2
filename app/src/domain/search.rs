//! Search text folding: case- and accent-insensitive ("cafe" finds "Café").
//! The same folding is applied to product text when stored and to queries when searched.

/// Lower-cases and strips accents, keeping letters and digits; everything else becomes a space.
pub fn fold(text: &str) -> String {
    // deunicode drops control characters: a line break would glue two words together.
    let spaced: String = text.chars().map(|c| if c.is_whitespace() || c.is_control() { ' ' } else { c }).collect();
    let ascii = deunicode::deunicode(&spaced).to_lowercase();
    let mut out = String::with_capacity(ascii.len());
    let mut last_space = true;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
            last_space = false;
        } else if !last_space {
            out.push(' ');
            last_space = true;
        }
    }
    out.trim_end().to_string()
}

/// The words of a query, folded, at most `MAX_TERMS`, each safe to embed in a full-text query
/// (only `[a-z0-9]`).
pub fn terms(query: &str) -> Vec<String> {
    const MAX_TERMS: usize = 8;
    fold(query)
        .split(' ')
        .filter(|t| !t.is_empty())
        .take(MAX_TERMS)
        .map(|t| t.chars().take(40).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_removes_case_and_accents() {
        assert_eq!(fold("Café CRÈME"), "cafe creme");
        assert_eq!(fold("Smørrebrød-board, 30×40 cm"), "smorrebrod board 30x40 cm");
        assert_eq!(fold("  Über   "), "uber");
        assert_eq!(fold("Enculé\npas\tpoli"), "encule pas poli", "line breaks and tabs separate words");
    }

    #[test]
    fn terms_are_plain_words_only() {
        assert_eq!(terms("café \"OR\" *x* -y"), vec!["cafe", "or", "x", "y"]);
        assert!(terms("  !!! ").is_empty());
        assert_eq!(terms("a b c d e f g h i j").len(), 8);
    }
}
