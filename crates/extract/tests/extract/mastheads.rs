//! Mastheads outside the modern English layout (issue #12, item 5): the 1959 French summary
//! record of the Fourth Committee's 985th meeting, a two-column typescript with an OCR text
//! layer whose masthead prints no symbol and garbles the meeting number ("9g5e SEANCE"); the
//! French masthead of A/HRC/WG.6/7/ITA/1 ("Distr. générale", "16 novembre 2009") and the
//! Russian one of A/HRC/WG.6/34/ITA/3 ("Организация Объединенных Наций", its title and author
//! line in Russian). Spanish mastheads have synthetic unit tests in `src/meta.rs` (the corpus
//! holds no Spanish document).

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
    assert_eq!(meta.language, undex_core::Language::Fr);
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

fn meta_of_shared(rel: &str) -> undex_core::DocumentMeta {
    let bytes = std::fs::read(shared_path(rel)).expect("corpus file");
    undex_extract::extract(&bytes, rel, &Default::default())
        .expect("extracts")
        .meta
}

#[test]
fn the_french_national_report_of_italy_reads_its_french_masthead() {
    // Printed: "Nations Unies A/HRC/WG.6/7/ITA/1", "Assemblée générale Distr. générale",
    // "16 novembre 2009", "Français", "Original: anglais", "Rapport national présenté
    // conformément au paragraphe 15 a) de l'annexe à la résolution 5/1 du Conseil des droits de
    // l'homme*", "Italie".
    let meta = meta_of_shared("corpus/pdf/ohchr_multilingual/ohchr_2_fr.pdf");
    let symbols: Vec<&str> = meta.symbols.iter().map(|s| s.as_str()).collect();
    assert_eq!(symbols, ["A/HRC/WG.6/7/ITA/1"]);
    assert_eq!(meta.id, "A_HRC_WG.6_7_ITA_1.fr");
    assert_eq!(meta.language, undex_core::Language::Fr);
    assert_eq!(meta.date.as_deref(), Some("2009-11-16"));
    assert_eq!(
        meta.title.as_deref(),
        Some(
            "Rapport national présenté conformément au paragraphe 15 a) de l’annexe à la \
             résolution 5/1 du Conseil des droits de l’homme: Italie"
        )
    );
    assert_eq!(meta.doc_type.as_deref(), Some("national report"));
    assert_eq!(meta.bodies, ["Human Rights Council"]);
    assert_eq!(meta.job_number.as_deref(), Some("GE.09-17088"));
}

#[test]
fn the_russian_stakeholders_summary_on_italy_reads_its_russian_masthead() {
    // Printed: "Организация Объединенных Наций A/HRC/WG.6/34/ITA/3", "Генеральная Ассамблея
    // Distr.: General", "14 August 2019", "Russian", "Original: English", …, "Резюме материалов
    // по Италии, представленных заинтересованными сторонами*", "Доклад Управления Верховного
    // комиссара Организации Объединенных Наций по правам человека".
    let meta = meta_of_shared("corpus/pdf/ohchr_multilingual/ohchr_1_ru.pdf");
    let symbols: Vec<&str> = meta.symbols.iter().map(|s| s.as_str()).collect();
    assert_eq!(symbols, ["A/HRC/WG.6/34/ITA/3"]);
    assert_eq!(meta.id, "A_HRC_WG.6_34_ITA_3.ru");
    assert_eq!(meta.language, undex_core::Language::Ru);
    assert_eq!(meta.date.as_deref(), Some("2019-08-14"));
    assert_eq!(
        meta.title.as_deref(),
        Some("Резюме материалов по Италии, представленных заинтересованными сторонами")
    );
    assert_eq!(
        meta.author.as_deref(),
        Some("Office of the United Nations High Commissioner for Human Rights"),
        "as the English version's author line reads"
    );
    assert_eq!(meta.doc_type.as_deref(), Some("stakeholders summary"));
    assert_eq!(meta.job_number.as_deref(), Some("GE.19-13879"));
}
