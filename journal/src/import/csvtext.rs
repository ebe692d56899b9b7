//! The text-level quirks of real broker exports: encodings and BOMs, `,`/`;`/tab delimiters,
//! records that span lines, header lookup by name, and numbers written as `$1,234.50`,
//! `(45.20)` or `1.234,50`.

use std::str::FromStr;

use rust_decimal::Decimal;

use super::ImportError;

/// Decodes a file into text with `\n` or `\r\n` line ends.
///
/// UTF-8 (BOM optional) is tried first; UTF-16 is read when it starts with its BOM (Excel's
/// "Unicode text"); anything else is read as Windows-1252, which never fails and is what
/// US brokers' older exports are in. NUL bytes or many control characters mean binary.
pub(crate) fn decode(bytes: &[u8]) -> Result<String, ImportError> {
    let text = if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        decode_utf16(rest, u16::from_le_bytes)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        decode_utf16(rest, u16::from_be_bytes)
    } else {
        let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
        match std::str::from_utf8(body) {
            Ok(s) => s.to_owned(),
            Err(_) => body.iter().map(|&b| windows_1252(b)).collect(),
        }
    };
    let text = text.trim_start_matches('\u{feff}');
    if looks_binary(text) {
        return Err(ImportError::NotText);
    }
    if text
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .is_empty()
    {
        return Err(ImportError::Empty);
    }
    Ok(lone_cr_to_lf(text))
}

fn decode_utf16(bytes: &[u8], word: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks_exact(2).map(|c| word([c[0], c[1]]));
    char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// Windows-1252 differs from Latin-1 only in 0x80..=0x9F; its five unassigned bytes map to
/// the C1 control of the same value, as browsers do.
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// NUL never occurs in a CSV; beyond that, a text with more than 1 in 20 control characters
/// (other than tab, CR, LF and form feed) in its first 4 KiB is some binary format.
fn looks_binary(text: &str) -> bool {
    if text.contains('\0') {
        return true;
    }
    let mut total = 0usize;
    let mut control = 0usize;
    for c in text.chars().take(4096) {
        total += 1;
        if c.is_control() && !matches!(c, '\t' | '\r' | '\n' | '\u{c}') && (c as u32) < 0x80 {
            control += 1;
        }
    }
    control * 20 > total
}

/// Classic Mac line ends (`\r` alone) become `\n` so line numbers count them.
fn lone_cr_to_lf(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() != Some(&'\n') {
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

/// Picks the delimiter used by most of the first lines: `,`, `;` or tab (ties go to `,`).
pub(crate) fn sniff_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(30)
        .collect();
    let mut best = (b',', 0usize);
    for d in [b',', b';', b'\t'] {
        let n: usize = lines.iter().map(|l| count_unquoted(l, char::from(d))).sum();
        if n > best.1 {
            best = (d, n);
        }
    }
    best.0
}

fn count_unquoted(line: &str, delim: char) -> usize {
    let mut quoted = false;
    let mut n = 0;
    for c in line.chars() {
        if c == '"' {
            quoted = !quoted;
        } else if c == delim && !quoted {
            n += 1;
        }
    }
    n
}

/// One CSV record and the physical line (1-based) it starts on.
#[derive(Debug, Clone)]
pub(crate) struct Record {
    pub line: usize,
    pub cells: Vec<String>,
}

impl Record {
    /// The trimmed cell at `i`, or "" past the end of a short row.
    pub fn cell(&self, i: usize) -> &str {
        self.cells.get(i).map(String::as_str).unwrap_or("")
    }

    /// The cell in column `col` (see [`Columns::find`]); "" when the column is absent.
    pub fn get(&self, col: Option<usize>) -> &str {
        col.map(|i| self.cell(i)).unwrap_or("")
    }

    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.is_empty())
    }
}

/// Splits text into records (quoted fields may span lines), trimming every field. Blank
/// lines produce no record. Ragged rows are kept as they are.
pub(crate) fn records(text: &str, delimiter: u8) -> Vec<Record> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    // csv reports where it started reading a record, before the blank lines it skips, so
    // lines are counted from the first byte of the record's own text.
    let newlines: Vec<usize> = text
        .bytes()
        .enumerate()
        .filter(|(_, b)| *b == b'\n')
        .map(|(i, _)| i)
        .collect();
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut rec = csv::ByteRecord::new();
    // Reading from a byte slice cannot fail with I/O errors and byte records skip UTF-8
    // checks, so an error here would be a csv bug; stopping is the safe answer.
    while let Ok(true) = reader.read_byte_record(&mut rec) {
        let mut start = rec
            .position()
            .map(|p| usize::try_from(p.byte()).unwrap_or(usize::MAX))
            .unwrap_or(0);
        while bytes.get(start).is_some_and(|b| matches!(b, b'\n' | b'\r')) {
            start += 1;
        }
        let line = newlines.partition_point(|&n| n < start) + 1;
        let cells = rec
            .iter()
            .map(|c| {
                String::from_utf8_lossy(c)
                    .trim_matches('\u{feff}')
                    .trim()
                    .to_owned()
            })
            .collect();
        let r = Record { line, cells };
        if !r.is_blank() {
            out.push(r);
        }
    }
    out
}

/// A header row, looked up by column name: case, surrounding blanks and repeated inner
/// blanks are ignored.
#[derive(Debug, Clone)]
pub(crate) struct Columns {
    names: Vec<String>,
}

impl Columns {
    pub fn new(cells: &[String]) -> Self {
        Columns {
            names: cells.iter().map(|c| norm(c)).collect(),
        }
    }

    /// The index of the first of `aliases` present in the header.
    pub fn find(&self, aliases: &[&str]) -> Option<usize> {
        aliases.iter().find_map(|a| {
            let a = norm(a);
            self.names.iter().position(|n| *n == a)
        })
    }

    pub fn has(&self, aliases: &[&str]) -> bool {
        self.find(aliases).is_some()
    }

    /// True when `cells` is this same header again (statements repeat it per account).
    pub fn is_repeat(&self, cells: &[String]) -> bool {
        // A data row differs in its first cell (a date, a symbol): decide on that one
        // before normalising the whole row (this ran for every row of a file).
        if let (Some(name), Some(cell)) = (self.names.first(), cells.first()) {
            if !name.is_empty() && norm(cell) != *name {
                return false;
            }
        }
        let other: Vec<String> = cells.iter().map(|c| norm(c)).collect();
        let trim =
            |v: &[String]| -> usize { v.iter().rposition(|s| !s.is_empty()).map_or(0, |i| i + 1) };
        self.names[..trim(&self.names)] == other[..trim(&other)]
    }
}

fn norm(s: &str) -> String {
    s.trim_matches(|c: char| c == '\u{feff}' || c == '"' || c.is_whitespace())
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Required columns, each named for error messages with the aliases that satisfy it.
pub(crate) type Required<'a> = &'a [(&'a str, &'a [&'a str])];

/// The names of the required columns missing from `cols`, or `None` when all are present.
pub(crate) fn missing(cols: &Columns, required: Required<'_>) -> Option<String> {
    let names: Vec<&str> = required
        .iter()
        .filter(|(_, aliases)| !cols.has(aliases))
        .map(|(name, _)| *name)
        .collect();
    (!names.is_empty()).then(|| names.join(", "))
}

/// How numbers are written in a file: US style (`1,234.50`) or with a decimal comma
/// (`1.234,50`), which only `;`- or tab-delimited files can use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct NumStyle {
    pub decimal_comma: bool,
}

impl NumStyle {
    /// A `;`/tab file uses a decimal comma when its number-like fields more often end in a
    /// comma and 1, 2 or 4+ digits (`175,5`, `0,25`) than look like `1,234.50`. A lone
    /// `1,234` is ambiguous and does not vote.
    pub fn sniff(text: &str, delimiter: u8) -> Self {
        if delimiter == b',' {
            return NumStyle::default();
        }
        let (mut comma, mut point) = (0usize, 0usize);
        for line in text.lines().take(500) {
            for field in line.split(char::from(delimiter)) {
                let f = field.trim().trim_matches('"').trim();
                let f = f
                    .trim_start_matches(['-', '+', '(', '$', '€', '£'])
                    .trim_end_matches(')');
                if f.is_empty() || !f.starts_with(|c: char| c.is_ascii_digit()) {
                    continue;
                }
                if !f
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
                {
                    continue;
                }
                match (f.rfind(','), f.rfind('.')) {
                    (Some(c), Some(p)) if c > p => comma += 1,
                    (Some(_), Some(_)) => point += 1,
                    (Some(c), None) if f.len() - c - 1 != 3 => comma += 1,
                    _ => {}
                }
            }
        }
        NumStyle {
            decimal_comma: comma > point,
        }
    }
}

/// Reads a number as brokers print it: `$1,234.50`, `-$5`, `$-5`, `(45.20)` (= -45.20),
/// `+3`, `@1.25` (Webull prices), `1.5e-3`. `Ok(None)` for blanks and placeholders (`-`,
/// `--`, `N/A`, `~`); `Err(())` for anything else that is not a number.
pub(crate) fn number(raw: &str, style: NumStyle) -> Result<Option<Decimal>, ()> {
    let mut s = raw.trim();
    if s.is_empty() || matches!(s, "-" | "--" | "—" | "~" | "N/A" | "n/a" | "NA") {
        return Ok(None);
    }
    let mut negative = false;
    if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        negative = true;
        s = inner.trim();
    }
    // Signs and currency marks come in either order: -$5, $-5, +$5, @5.
    loop {
        let before = s;
        if let Some(r) = s.strip_prefix('-') {
            negative = !negative;
            s = r;
        }
        if let Some(r) = s.strip_prefix('+') {
            s = r;
        }
        s = s
            .trim_start_matches(['$', '€', '£', '@'])
            .trim_start_matches("US$")
            .trim_start();
        if s == before {
            break;
        }
    }
    let mut digits = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '0'..='9' => digits.push(c),
            '.' if style.decimal_comma => {}
            ',' if style.decimal_comma => digits.push('.'),
            '.' => digits.push('.'),
            ',' | '\'' | ' ' | '\u{a0}' | '\u{202f}' => {}
            'e' | 'E' | '-' | '+' => digits.push(c),
            _ => return Err(()),
        }
    }
    if !digits.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return Err(());
    }
    let value = if digits.contains(['e', 'E']) {
        Decimal::from_scientific(&digits).map_err(|_| ())?
    } else if digits.contains(['-', '+']) {
        return Err(());
    } else {
        Decimal::from_str(&digits).map_err(|_| ())?
    };
    Ok(Some(if negative { -value } else { value }))
}

/// A short, quoted rendering of a cell for error messages (long garbage is cut).
pub(crate) fn quoted(raw: &str) -> String {
    const MAX: usize = 40;
    if raw.chars().count() <= MAX {
        format!("{raw:?}")
    } else {
        let cut: String = raw.chars().take(MAX).collect();
        format!("{:?}…", cut)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn us(s: &str) -> Option<Decimal> {
        number(s, NumStyle::default()).unwrap()
    }

    #[test]
    fn money_forms() {
        assert_eq!(us("$1,234.50"), Some(dec!(1234.50)));
        assert_eq!(us("(45.20)"), Some(dec!(-45.20)));
        assert_eq!(us("($1,234.56)"), Some(dec!(-1234.56)));
        assert_eq!(us("-$5.00"), Some(dec!(-5)));
        assert_eq!(us("$-5.00"), Some(dec!(-5)));
        assert_eq!(us("+100"), Some(dec!(100)));
        assert_eq!(us("@189.00"), Some(dec!(189)));
        assert_eq!(us(".60"), Some(dec!(0.6)));
        assert_eq!(us("1.5e-3"), Some(dec!(0.0015)));
        assert_eq!(us("-"), None);
        assert_eq!(us(""), None);
        assert_eq!(us("--"), None);
        assert!(number("abc", NumStyle::default()).is_err());
        assert!(number("1-2", NumStyle::default()).is_err());
        assert!(number("DEBIT", NumStyle::default()).is_err());
        assert!(number("99999999999999999999999999999999", NumStyle::default()).is_err());
        let eu = NumStyle {
            decimal_comma: true,
        };
        assert_eq!(number("1.234,50", eu).unwrap(), Some(dec!(1234.50)));
        assert_eq!(number("-0,25", eu).unwrap(), Some(dec!(-0.25)));
    }

    #[test]
    fn decodes_bom_latin1_and_utf16() {
        assert_eq!(decode(b"\xEF\xBB\xBFa,b\n").unwrap(), "a,b\n");
        assert_eq!(decode(b"caf\xE9 \x80\n").unwrap(), "café €\n");
        assert_eq!(decode(b"\xFF\xFEa\x00,\x00b\x00").unwrap(), "a,b");
        assert_eq!(decode(b"a\rb\r\nc").unwrap(), "a\nb\r\nc");
        assert_eq!(decode(b"a\x00b"), Err(ImportError::NotText));
        assert_eq!(decode(b" \n\xEF\xBB\xBF"), Err(ImportError::Empty));
        assert_eq!(decode(b""), Err(ImportError::Empty));
    }

    #[test]
    fn sniffs_delimiters_and_decimal_commas() {
        let semi = "Date;Symbol;Price\n2024-03-04;AAPL;175,50\n";
        assert_eq!(sniff_delimiter(semi), b';');
        assert!(NumStyle::sniff(semi, b';').decimal_comma);
        assert!(!NumStyle::sniff("a;b\n1,234.50;2\n", b';').decimal_comma);
        assert_eq!(sniff_delimiter("a,b\n\"x;y\",2\n"), b',');
    }

    #[test]
    fn records_keep_physical_lines() {
        let recs = records("a,b\n\n\"multi\nline\",2\nlast,3\n", b',');
        let lines: Vec<usize> = recs.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![1, 3, 5]);
        assert_eq!(recs[1].cell(0), "multi\nline");
    }

    #[test]
    fn header_lookup_ignores_case_and_blanks() {
        let cols = Columns::new(&["\u{feff}Date".into(), " Fees  &  Comm ".into()]);
        assert_eq!(cols.find(&["date"]), Some(0));
        assert_eq!(cols.find(&["nope", "fees & comm"]), Some(1));
        assert!(cols.is_repeat(&["DATE".into(), "Fees & Comm".into(), "".into()]));
    }
}
