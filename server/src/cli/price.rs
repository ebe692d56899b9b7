//! `refract price`: batch pricing and implied volatility over CSV.
//!
//! Input header `id,kind,style,engine,spot,strike,q,r,t,vol,price`; output header
//! `id,price,delta,gamma,theta,vega,rho,iv,error` (raw conventions: theta per year, vega and
//! rho per 1.00). A row with `vol` is priced; a row without `vol` but with `price` is solved
//! for implied volatility, and its Greeks are those at the solved vol. A bad row gets its
//! `error` filled and the others still come out, in input order.
//!
//! Memory stays constant: rows are read in blocks, each block is split into chunks that
//! are parsed, priced and formatted as CSV across all cores (rayon), then the chunks are
//! written in order and dropped before the next block is read. Only the raw record split
//! and the final write are serial.

use pricer::{ExerciseStyle, IvRequest, OptionKind, PricingRequest};
use rayon::prelude::*;
use std::io::{Read, Write};

/// Rows per block: large enough to keep every core busy, small enough to stay in cache-sized
/// memory (a few MB) whatever the file's length.
const BLOCK: usize = 16_384;
/// Rows per parallel task within a block.
const CHUNK: usize = 1_024;

pub const INPUT_HEADER: [&str; 11] = [
    "id", "kind", "style", "engine", "spot", "strike", "q", "r", "t", "vol", "price",
];
pub const OUTPUT_HEADER: [&str; 9] = [
    "id", "price", "delta", "gamma", "theta", "vega", "rho", "iv", "error",
];

#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    #[error("the input's header must be {expected}; found {found}")]
    Header { expected: String, found: String },
    #[error("reading the input: {0}")]
    Read(#[source] csv::Error),
    #[error("writing the output: {0}")]
    Write(#[source] csv::Error),
    #[error("writing the output: {0}")]
    Io(#[from] std::io::Error),
}

/// Counts for the summary line on stderr.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub rows: u64,
    pub errors: u64,
}

/// One output row, formatted.
struct OutRow {
    fields: [String; 9],
    failed: bool,
}

/// A formatted chunk of output rows with its row and error counts.
type ChunkOut = (Vec<u8>, u64, u64);

pub fn run(input: impl Read, output: impl Write) -> Result<Summary, BatchError> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let header = reader.headers().map_err(BatchError::Read)?.clone();
    let found: Vec<String> = header
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    if found != INPUT_HEADER {
        return Err(BatchError::Header {
            expected: INPUT_HEADER.join(","),
            found: found.join(","),
        });
    }
    let mut out = std::io::BufWriter::new(output);
    out.write_all(OUTPUT_HEADER.join(",").as_bytes())?;
    out.write_all(b"\n")?;

    let mut summary = Summary::default();
    let mut block: Vec<(u64, Result<csv::StringRecord, String>)> = Vec::with_capacity(BLOCK);
    let mut records = reader.into_records();
    let mut line = 1u64;
    loop {
        block.clear();
        for rec in records.by_ref().take(BLOCK) {
            line += 1;
            // A malformed CSV line (bad quoting, invalid UTF-8) is that row's error.
            block.push((line, rec.map_err(|e| format!("unreadable CSV row: {e}"))));
        }
        if block.is_empty() {
            break;
        }
        let chunks: Vec<Result<ChunkOut, csv::Error>> = block
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut w = csv::WriterBuilder::new()
                    .has_headers(false)
                    .from_writer(Vec::with_capacity(chunk.len() * 120));
                let mut errors = 0u64;
                for (line, rec) in chunk {
                    let row = match rec {
                        Ok(r) => price_row(r),
                        Err(e) => failed(format!("line {line}"), e.clone()),
                    };
                    errors += u64::from(row.failed);
                    w.write_record(&row.fields)?;
                }
                let bytes = w
                    .into_inner()
                    .map_err(|e| csv::Error::from(e.into_error()))?;
                Ok((bytes, chunk.len() as u64, errors))
            })
            .collect();
        for chunk in chunks {
            let (bytes, rows, errors) = chunk.map_err(BatchError::Write)?;
            summary.rows += rows;
            summary.errors += errors;
            out.write_all(&bytes)?;
        }
    }
    out.flush()?;
    Ok(summary)
}

fn failed(id: String, error: String) -> OutRow {
    OutRow {
        fields: [
            id,
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            error,
        ],
        failed: true,
    }
}

fn field(r: &csv::StringRecord, i: usize) -> &str {
    r.get(i).unwrap_or("").trim()
}

fn number(
    r: &csv::StringRecord,
    i: usize,
    name: &str,
    default: Option<f64>,
) -> Result<f64, String> {
    let raw = field(r, i);
    if raw.is_empty() {
        return default.ok_or_else(|| format!("{name} is required"));
    }
    raw.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| format!("{name} is not a number: {raw:?}"))
}

fn price_row(r: &csv::StringRecord) -> OutRow {
    let id = field(r, 0).to_string();
    match compute(r) {
        Ok(fields) => {
            let [price, delta, gamma, theta, vega, rho] = fields.0.map(fmt);
            OutRow {
                fields: [
                    id,
                    price,
                    delta,
                    gamma,
                    theta,
                    vega,
                    rho,
                    fields.1.map(fmt).unwrap_or_default(),
                    String::new(),
                ],
                failed: false,
            }
        }
        Err(e) => failed(id, e),
    }
}

fn fmt(v: f64) -> String {
    // Shortest representation that reads back to the same f64.
    format!("{v}")
}

/// ([price, delta, gamma, theta, vega, rho], implied vol if solved)
fn compute(r: &csv::StringRecord) -> Result<([f64; 6], Option<f64>), String> {
    if r.len() != INPUT_HEADER.len() {
        return Err(format!(
            "expected {} fields, found {}",
            INPUT_HEADER.len(),
            r.len()
        ));
    }
    let kind: OptionKind = field(r, 1).parse().map_err(|e| format!("{e}"))?;
    let style: ExerciseStyle = match field(r, 2) {
        "" => ExerciseStyle::European,
        s => s.parse().map_err(|e| format!("{e}"))?,
    };
    let engine = match field(r, 3) {
        "" => None,
        s => Some(s.parse().map_err(|e| format!("{e}"))?),
    };
    let spot = number(r, 4, "spot", None)?;
    let strike = number(r, 5, "strike", None)?;
    let q = number(r, 6, "q", Some(0.0))?;
    let rate = number(r, 7, "r", Some(0.0))?;
    let t = number(r, 8, "t", None)?;
    let vol = match field(r, 9) {
        "" => None,
        _ => Some(number(r, 9, "vol", None)?),
    };
    let (vol, iv) = match vol {
        Some(v) => (v, None),
        None => {
            let price = number(r, 10, "price", None)
                .map_err(|_| "give vol to price, or price to solve for implied vol".to_string())?;
            let iv = pricer::implied_vol(&IvRequest {
                kind,
                style,
                engine,
                spot,
                strike,
                q,
                r: rate,
                t,
                price,
            })
            .map_err(|e| e.to_string())?;
            (iv, Some(iv))
        }
    };
    let res = pricer::price(&PricingRequest {
        kind,
        style,
        engine,
        spot,
        strike,
        q,
        r: rate,
        t,
        vol,
    })
    .map_err(|e| e.to_string())?;
    let g = res.greeks;
    Ok(([res.price, g.delta, g.gamma, g.theta, g.vega, g.rho], iv))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_str(input: &str) -> (String, Summary) {
        let mut out = Vec::new();
        let s = run(input.as_bytes(), &mut out).unwrap();
        (String::from_utf8(out).unwrap(), s)
    }

    fn cells(out: &str, row: usize) -> Vec<String> {
        out.lines()
            .nth(row)
            .unwrap()
            .split(',')
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn prices_solves_and_reports_bad_rows_in_order() {
        // Haug's example: S=60, K=65, T=0.25, r=8%, vol 30% → call 2.1334
        // (2.1333684449162043 to double precision, by the erfc formula).
        let input = "id,kind,style,engine,spot,strike,q,r,t,vol,price\n\
                     a,call,european,,60,65,0,0.08,0.25,0.30,\n\
                     b,call,european,,60,65,0,0.08,0.25,,2.1333684449162043\n\
                     c,put,american,baw,100,100,0,0.05,1,0.2,\n\
                     d,call,european,,60,-65,0,0.08,0.25,0.30,\n\
                     e,straddle,european,,60,65,0,0.08,0.25,0.30,\n\
                     f,call,european,,60,65,0,0.08,0.25,,\n";
        let (out, s) = run_str(input);
        assert_eq!(s, Summary { rows: 6, errors: 3 });
        assert_eq!(out.lines().next().unwrap(), OUTPUT_HEADER.join(","));
        let a = cells(&out, 1);
        assert_eq!(a[0], "a");
        assert!(
            (a[1].parse::<f64>().unwrap() - 2.1334).abs() < 1e-4,
            "{a:?}"
        );
        let b = cells(&out, 2);
        assert!((b[7].parse::<f64>().unwrap() - 0.30).abs() < 1e-10, "{b:?}");
        let c = cells(&out, 3);
        assert!(
            c[8].is_empty() && c[1].parse::<f64>().unwrap() > 0.0,
            "{c:?}"
        );
        assert!(cells(&out, 4)[8].contains("strike"), "{out}");
        assert!(cells(&out, 5)[8].contains("option kind"), "{out}");
        assert!(cells(&out, 6)[8].contains("give vol"), "{out}");
        assert_eq!(
            out.lines()
                .map(|l| l.split(',').next().unwrap())
                .collect::<Vec<_>>(),
            ["id", "a", "b", "c", "d", "e", "f"]
        );
    }

    #[test]
    fn a_wrong_header_is_refused_with_the_expected_one() {
        let mut out = Vec::new();
        let e = run("id,kind,spot\n1,call,100\n".as_bytes(), &mut out).unwrap_err();
        assert!(e.to_string().contains("id,kind,style,engine"), "{e}");
    }

    #[test]
    fn prices_outside_the_bounds_are_row_errors_not_nan() {
        let input = "id,kind,style,engine,spot,strike,q,r,t,vol,price\n\
                     x,call,european,,100,100,0,0,1,,150\n\
                     y,call,european,,100,50,0,0,1,,10\n";
        let (out, s) = run_str(input);
        assert_eq!(s.errors, 2);
        assert!(cells(&out, 1)[8].contains("upper bound"), "{out}");
        assert!(cells(&out, 2)[8].contains("lower bound"), "{out}");
        assert!(!out.contains("NaN"));
    }

    #[test]
    fn many_blocks_keep_their_order() {
        let mut input = String::from("id,kind,style,engine,spot,strike,q,r,t,vol,price\n");
        let n = BLOCK * 2 + 17;
        for i in 0..n {
            input.push_str(&format!(
                "{i},put,european,,100,{},0.01,0.03,0.5,0.25,\n",
                50 + i % 100
            ));
        }
        let (out, s) = run_str(&input);
        assert_eq!(
            s,
            Summary {
                rows: n as u64,
                errors: 0
            }
        );
        for (i, line) in out.lines().skip(1).enumerate() {
            assert!(line.starts_with(&format!("{i},")), "row {i}: {line}");
        }
    }
}
