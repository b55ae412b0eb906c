//! Mastheads outside the modern English layout (issue #12, item 5): the 1959 French summary
//! record of the Fourth Committee's 985th meeting, a two-column typescript with an OCR text
//! layer whose masthead prints no symbol and garbles the meeting number ("9g5e SEANCE").

const FILE: &str = "corpus/pdf/un_ods_samples/A_C.4_SR.985-FR.pdf";

fn meta_of(source_file: &str) -> undex_core::DocumentMeta {
    let bytes = std::fs::read(shared_path(FILE)).expect("corpus file");
    undex_extract::extract(&bytes, source_file, &Default::default())
        .expect("extracts")
        .meta
}

fn shared_path(rel: &str) -> String {
    format!("{}/../../../shared/{rel}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_1959_french_record_is_a_c4_sr985_of_4_december_1959() {
    let meta = meta_of(&shared_path(FILE));
    let symbols: Vec<&str> = meta.symbols.iter().map(|s| s.as_str()).collect();
    assert_eq!(
        symbols,
        ["A/C.4/SR.985"],
        "not A/4096, a document it discusses"
    );
    assert_eq!(meta.id, "A_C.4_SR.985.fr");
    assert_eq!(meta.language, "fr");
    assert_eq!(meta.date.as_deref(), Some("1959-12-04"));
    assert_eq!(meta.doc_type.as_deref(), Some("summary record"));
    assert_eq!(meta.bodies, ["General Assembly"]);
}

#[test]
fn without_its_ods_file_name_the_record_has_no_symbol_rather_than_a_wrong_one() {
    let meta = meta_of("/elsewhere/record.pdf");
    assert!(meta.symbols.is_empty(), "{:?}", meta.symbols);
    assert!(meta.id.starts_with("sha-"), "{}", meta.id);
    assert_eq!(meta.doc_type.as_deref(), Some("summary record"));
    assert_eq!(meta.date.as_deref(), Some("1959-12-04"));
}
