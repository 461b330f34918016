//! Text folding for search: "Chả mực Hạ Long" and "cha muc ha long" must meet.

use unicode_normalization::UnicodeNormalization;

/// Folds text for diacritics- and case-insensitive comparison: lower case, Vietnamese
/// diacritics removed (đ → d), runs of whitespace collapsed to one space, trimmed.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for ch in text.nfd() {
        if is_combining_mark(ch) {
            continue;
        }
        if ch.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        match ch {
            'đ' | 'Đ' => out.push('d'),
            _ => out.extend(ch.to_lowercase()),
        }
    }
    out
}

fn is_combining_mark(ch: char) -> bool {
    matches!(ch, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}')
}

#[cfg(test)]
mod tests {
    use super::fold;
    use proptest::prelude::*;

    #[test]
    fn strips_vietnamese_diacritics_and_case() {
        assert_eq!(fold("Chả mực Hạ Long"), "cha muc ha long");
        assert_eq!(fold("ĐÔNG TRIỀU"), "dong trieu");
        assert_eq!(fold("  Thành phố   Uông Bí "), "thanh pho uong bi");
        assert_eq!(fold("Quảng Ninh"), "quang ninh");
        assert_eq!(fold("Ba Chẽ"), "ba che");
    }

    #[test]
    fn precomposed_and_decomposed_forms_fold_alike() {
        let precomposed = "Hạ Long";
        let decomposed = "Ha\u{0323} Long";
        assert_eq!(fold(precomposed), fold(decomposed));
    }

    proptest! {
        #[test]
        fn folding_is_idempotent(s in "\\PC{0,40}") {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once.clone());
        }

        #[test]
        fn lowercase_ascii_words_are_unchanged(s in "[a-z0-9]{1,10}( [a-z0-9]{1,10}){0,3}") {
            prop_assert_eq!(fold(&s), s);
        }

        #[test]
        fn folded_text_has_no_vietnamese_letters(s in "[a-zA-ZàáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđĐ ]{0,30}") {
            let folded = fold(&s);
            prop_assert!(folded.chars().all(|c| c.is_ascii_lowercase() || c == ' '));
        }
    }
}
