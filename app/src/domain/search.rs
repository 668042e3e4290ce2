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

/// How many typos a query word may carry and still match (a transposition counts as one): none up
/// to 3 letters (too many short words are one edit apart), one up to 7, two from 8. Never in a word
/// with digits: "30 cm" is not "20 cm".
pub fn typo_allowance(word: &str) -> u8 {
    if word.chars().any(|c| c.is_ascii_digit()) {
        return 0;
    }
    match word.chars().count() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
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
    fn longer_words_forgive_more_typos() {
        let allowed: Vec<(&str, u8)> =
            ["pan", "tea", "towl", "pann", "kichen", "sweter", "teapott", "stonwear", "casseroles", "30x40", "2024"].iter().map(|w| (*w, typo_allowance(w))).collect();
        assert_eq!(
            allowed,
            vec![("pan", 0), ("tea", 0), ("towl", 1), ("pann", 1), ("kichen", 1), ("sweter", 1), ("teapott", 1), ("stonwear", 2), ("casseroles", 2), ("30x40", 0), ("2024", 0)]
        );
    }

    #[test]
    fn terms_are_plain_words_only() {
        assert_eq!(terms("café \"OR\" *x* -y"), vec!["cafe", "or", "x", "y"]);
        assert!(terms("  !!! ").is_empty());
        assert_eq!(terms("a b c d e f g h i j").len(), 8);
    }
}
