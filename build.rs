//! Generates the bindings for the bundled header tree into `OUT_DIR`.

fn main() {
    let bindings = match ckpt_gen::Builder::new().header_tree("headers").generate() {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    bindings.emit_rerun_if_changed();
    println!("cargo:rerun-if-changed=headers");
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    if let Err(e) = bindings.write_to_file(out.join("ckpt_bindings.rs")) {
        eprintln!("{e}");
        std::process::exit(1);
    }
}
