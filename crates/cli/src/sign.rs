//! `litigant sign FILE --document ID --purpose transcript|mediation|receipt --case CASE`: signs
//! the local copy of a platform document (Art. 33) with the account's kept key, has the
//! platform verify it, keeps the detached signature and records it in the case file.
//! `litigant sign --verify FILE SIGNATURE.json --public-key KEY` checks another party's.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use litigant_court_api::signatures::SignaturePurpose;
use litigant_evidence::{
    AccountKey, CaseFile, DetachedSignature, Signer, ToSign, sha256_file, sign_document,
    verify_signature, verifying_key,
};

use crate::platform::{Context, Failure, PlatformArgs};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PurposeArg {
    Transcript,
    Mediation,
    Receipt,
}

#[derive(Debug, Args)]
pub struct SignArgs {
    #[command(flatten)]
    platform: PlatformArgs,
    /// The local copy of the document.
    file: PathBuf,
    /// The document's id on the platform.
    #[arg(long, required_unless_present = "verify")]
    document: Option<String>,
    #[arg(long, value_enum, required_unless_present = "verify")]
    purpose: Option<PurposeArg>,
    /// The case whose file records the signature.
    #[arg(long, required_unless_present = "verify")]
    case: Option<String>,
    /// Instead of signing, check this detached signature (JSON) over FILE.
    #[arg(long, requires = "public_key")]
    verify: Option<PathBuf>,
    /// The signer's public key (base64), as the platform registered it.
    #[arg(long)]
    public_key: Option<String>,
}

fn verify(args: &SignArgs, signature: &PathBuf) -> Result<(), Failure> {
    let json = std::fs::read(signature)
        .map_err(|e| Failure::usage(format!("{}: {e}", signature.display())))?;
    let signature: DetachedSignature = serde_json::from_slice(&json)
        .map_err(|e| Failure::usage(format!("{}: not a signature: {e}", signature.display())))?;
    let key = args.public_key.as_deref().unwrap_or_default();
    let key = verifying_key(key)
        .ok_or_else(|| Failure::usage("--public-key must be a 32-byte Ed25519 key in base64"))?;
    verify_signature(&signature, &sha256_file(&args.file)?, &key)
        .map_err(|f| Failure::new(format!("{f} [{}]", f.code())))?;
    println!(
        "ok: {} signed {} as {} at {}",
        signature.account_id,
        args.file.display(),
        signature.purpose.as_str(),
        signature.signed_at.to_rfc3339()
    );
    Ok(())
}

pub async fn run(args: SignArgs) -> Result<(), Failure> {
    if let Some(signature) = &args.verify {
        return verify(&args, signature);
    }
    let (Some(document), Some(purpose), Some(case)) = (&args.document, args.purpose, &args.case)
    else {
        return Err(Failure::usage("give --document, --purpose and --case"));
    };
    let context = Context::open(&args.platform)?;
    context.resume().await?;
    let account = crate::key::account_id(&context)?;
    let key = AccountKey::kept(
        context.keychain.as_ref(),
        context.platform.as_str(),
        &account,
    )?;
    let mut case_file = CaseFile::open(&context.data)?;
    let signed = sign_document(
        &context.client,
        &mut case_file,
        &context.data,
        case,
        Signer {
            key: &key,
            account_id: &account,
        },
        ToSign {
            document_id: document,
            document: &args.file,
            purpose: match purpose {
                PurposeArg::Transcript => SignaturePurpose::Transcript,
                PurposeArg::Mediation => SignaturePurpose::MediationAgreement,
                PurposeArg::Receipt => SignaturePurpose::ServiceReceipt,
            },
        },
    )
    .await?;
    println!(
        "signed {} ({}): platform signature {}, verified at {}; saved {} (case file entry {})",
        args.file.display(),
        signed.signature.purpose.as_str(),
        signed.signature.id,
        signed.signature.verified_at.to_rfc3339(),
        signed.path.display(),
        signed.case_file_seq
    );
    Ok(())
}
