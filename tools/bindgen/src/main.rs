//! `refract-bindgen INPUT.wasm OUT_DIR OUT_NAME`: the JS glue and processed wasm for the
//! browser, with the options of `wasm-bindgen --target=web --no-typescript
//! --out-name=OUT_NAME`. Installing wasm-bindgen-cli from source cost 3-4 minutes of every
//! clean CI run; as a workspace member it shares the test build's dependencies.
use std::path::PathBuf;

use anyhow::{bail, Context};
use wasm_bindgen_cli_support::Bindgen;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, out_dir, out_name] = args.as_slice() else {
        bail!("usage: refract-bindgen INPUT.wasm OUT_DIR OUT_NAME");
    };
    let input = PathBuf::from(input);
    if !input.is_file() {
        bail!("{} is not a file", input.display());
    }
    let mut bindgen = Bindgen::new();
    bindgen
        .input_path(&input)
        .web(true)?
        .typescript(false)
        // The CLI's default: the glue can find the wasm next to itself when no path is given.
        .omit_default_module_path(false)
        .out_name(out_name);
    bindgen
        .generate(out_dir)
        .with_context(|| format!("generating the glue for {}", input.display()))?;
    Ok(())
}
