fn main() {
    match api_codegen::spec::load(std::path::Path::new("spec")) {
        Ok(s) => println!("ok: {} services", s.services.len()),
        Err(r) => { eprint!("{r}"); std::process::exit(1) }
    }
}
