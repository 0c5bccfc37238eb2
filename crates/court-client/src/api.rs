//! One method per platform operation, each a thin typed wrapper over [`Client::execute`].

use litigant_court_api::cases::{
    Case, CaseDocument, ConsentRequest, Consents, DocketEntry, OfflineTransfer,
    OfflineTransferRequest,
};
use litigant_court_api::deposit::{DepositLogKey, DepositProof};
use litigant_court_api::documents::Document;
use litigant_court_api::events::EventPage;
use litigant_court_api::evidence::{
    EvidenceItem, EvidenceSubmission, ExchangeWindow, Opinion, OpinionRequest,
};
use litigant_court_api::filings::{Filing, FilingCheck, FilingDraft, SupplementRequest};
use litigant_court_api::hearings::{AsyncHearing, StepRecordingRequest};
use litigant_court_api::identity::{
    Account, FaceVerification, IdentityCheck, LoginRequest, Registration, Reverification,
    ReverificationRequest, Session, SigningKeyRegistration, SmsCodeRequest, SmsCodeSent,
};
use litigant_court_api::policy::Policy;
use litigant_court_api::service::{ServedDocument, ServiceCertificate};
use litigant_court_api::signatures::{PartySigningKey, Signature, SignatureRequest};
use litigant_court_api::{IDEMPOTENCY_KEY, List};
use reqwest::Method;

use crate::client::{Call, Client, SessionTokens};
use crate::error::{ClientError, Result};

impl Client {
    pub async fn policy(&self) -> Result<Policy> {
        self.read(Call::new(Method::GET, "/policy").anonymous())
            .await
    }

    /// Asks for an SMS code. Not repeated on failure: a repeat would send a second code.
    pub async fn send_sms_code(&self, request: &SmsCodeRequest) -> Result<SmsCodeSent> {
        self.read(
            Call::new(Method::POST, "/identity/sms-codes")
                .json(request)
                .anonymous()
                .once(),
        )
        .await
    }

    /// Registers and starts the new account's session.
    pub async fn register(&self, registration: &Registration) -> Result<Session> {
        let session: Session = self
            .read(
                Call::new(Method::POST, "/identity/registrations")
                    .json(registration)
                    .anonymous()
                    .once(),
            )
            .await?;
        self.set_session(SessionTokens::from(&session));
        Ok(session)
    }

    /// Logs in with an SMS code and starts the session.
    pub async fn login(&self, request: &LoginRequest) -> Result<Session> {
        let session: Session = self
            .read(
                Call::new(Method::POST, "/auth/login")
                    .json(request)
                    .anonymous()
                    .once(),
            )
            .await?;
        self.set_session(SessionTokens::from(&session));
        Ok(session)
    }

    /// Ends every session of the account on the platform, and this client's.
    pub async fn logout(&self) -> Result<()> {
        self.execute(&Call::new(Method::POST, "/auth/logout"))
            .await?;
        self.clear_session();
        Ok(())
    }

    pub async fn me(&self) -> Result<Account> {
        self.read(Call::new(Method::GET, "/me")).await
    }

    /// The identity verifications notices asked of this account (Art. 7), due ones and done.
    pub async fn identity_checks(&self) -> Result<Vec<IdentityCheck>> {
        Ok(self
            .read::<List<IdentityCheck>>(Call::new(Method::GET, "/me/identity-checks"))
            .await?
            .items)
    }

    /// Sends a face photo (JPEG or PNG) for real-name verification.
    pub async fn upload_face(
        &self,
        image: Vec<u8>,
        content_type: &'static str,
    ) -> Result<FaceVerification> {
        self.read(Call::new(Method::PUT, "/me/face").bytes(image, content_type))
            .await
    }

    pub async fn reverify(&self, request: &ReverificationRequest) -> Result<Reverification> {
        self.read(
            Call::new(Method::POST, "/me/reverification")
                .json(request)
                .once(),
        )
        .await
    }

    pub async fn register_signing_key(&self, key: &SigningKeyRegistration) -> Result<Account> {
        self.read(Call::new(Method::PUT, "/me/signing-key").json(key))
            .await
    }

    pub async fn cases(&self) -> Result<Vec<Case>> {
        Ok(self
            .read::<List<Case>>(Call::new(Method::GET, "/cases"))
            .await?
            .items)
    }

    pub async fn case(&self, case_id: &str) -> Result<Case> {
        self.read(Call::new(Method::GET, format!("/cases/{case_id}")))
            .await
    }

    pub async fn docket(&self, case_id: &str) -> Result<Vec<DocketEntry>> {
        Ok(self
            .read::<List<DocketEntry>>(Call::new(Method::GET, format!("/cases/{case_id}/docket")))
            .await?
            .items)
    }

    /// The case's electronic file (Art. 35).
    pub async fn case_documents(&self, case_id: &str) -> Result<Vec<CaseDocument>> {
        Ok(self
            .read::<List<CaseDocument>>(Call::new(
                Method::GET,
                format!("/cases/{case_id}/documents"),
            ))
            .await?
            .items)
    }

    pub async fn consents(&self, case_id: &str) -> Result<Consents> {
        self.read(Call::new(Method::GET, format!("/cases/{case_id}/consents")))
            .await
    }

    /// Records a consent choice. Sent once: a repeat would add a second record to the history.
    pub async fn record_consent(
        &self,
        case_id: &str,
        request: &ConsentRequest,
    ) -> Result<Consents> {
        self.read(
            Call::new(Method::POST, format!("/cases/{case_id}/consents"))
                .json(request)
                .once(),
        )
        .await
    }

    pub async fn request_offline(
        &self,
        case_id: &str,
        request: &OfflineTransferRequest,
    ) -> Result<OfflineTransfer> {
        self.read(
            Call::new(Method::POST, format!("/cases/{case_id}/offline-transfers"))
                .json(request)
                .once(),
        )
        .await
    }

    /// Checks a draft against the court's policy without filing it.
    pub async fn check_filing(&self, draft: &FilingDraft) -> Result<FilingCheck> {
        // Checking changes nothing on the platform, so it is safe to repeat.
        self.read(Call::new(Method::POST, "/filings/check").json(draft))
            .await
    }

    /// Submits a filing under `idempotency_key`. Safe to repeat with the same key: the platform
    /// answers a repeat with the first filing, so a filing is never made twice.
    pub async fn submit_filing(
        &self,
        draft: &FilingDraft,
        idempotency_key: &str,
    ) -> Result<Filing> {
        self.read(
            Call::new(Method::POST, "/filings")
                .json(draft)
                .header(header_name(IDEMPOTENCY_KEY), idempotency_key),
        )
        .await
    }

    pub async fn filings(&self) -> Result<Vec<Filing>> {
        Ok(self
            .read::<List<Filing>>(Call::new(Method::GET, "/filings"))
            .await?
            .items)
    }

    pub async fn filing(&self, filing_id: &str) -> Result<Filing> {
        self.read(Call::new(Method::GET, format!("/filings/{filing_id}")))
            .await
    }

    pub async fn add_supplement(
        &self,
        filing_id: &str,
        request: &SupplementRequest,
    ) -> Result<Filing> {
        self.read(
            Call::new(Method::POST, format!("/filings/{filing_id}/supplements"))
                .json(request)
                .once(),
        )
        .await
    }

    pub async fn cancel_filing(&self, filing_id: &str) -> Result<Filing> {
        // Cancelling twice ends in the same state (the second is refused as already cancelled).
        self.read(Call::new(
            Method::POST,
            format!("/filings/{filing_id}/cancel"),
        ))
        .await
    }

    pub async fn evidence(&self, case_id: &str) -> Result<Vec<EvidenceItem>> {
        Ok(self
            .read::<List<EvidenceItem>>(Call::new(
                Method::GET,
                format!("/cases/{case_id}/evidence"),
            ))
            .await?
            .items)
    }

    pub async fn submit_evidence(
        &self,
        case_id: &str,
        submission: &EvidenceSubmission,
    ) -> Result<Vec<EvidenceItem>> {
        Ok(self
            .read::<List<EvidenceItem>>(
                Call::new(Method::POST, format!("/cases/{case_id}/evidence"))
                    .json(submission)
                    .once(),
            )
            .await?
            .items)
    }

    pub async fn exchanges(&self, case_id: &str) -> Result<Vec<ExchangeWindow>> {
        Ok(self
            .read::<List<ExchangeWindow>>(Call::new(
                Method::GET,
                format!("/cases/{case_id}/exchanges"),
            ))
            .await?
            .items)
    }

    /// Gives (or replaces) this account's opinion on an item; a PUT, so safe to repeat.
    pub async fn give_opinion(
        &self,
        evidence_id: &str,
        opinion: &OpinionRequest,
    ) -> Result<Opinion> {
        self.read(Call::new(Method::PUT, format!("/evidence/{evidence_id}/opinion")).json(opinion))
            .await
    }

    pub async fn opinions(&self, evidence_id: &str) -> Result<Vec<Opinion>> {
        Ok(self
            .read::<List<Opinion>>(Call::new(
                Method::GET,
                format!("/evidence/{evidence_id}/opinions"),
            ))
            .await?
            .items)
    }

    pub async fn hearings(&self, case_id: &str) -> Result<Vec<AsyncHearing>> {
        Ok(self
            .read::<List<AsyncHearing>>(Call::new(
                Method::GET,
                format!("/cases/{case_id}/hearings"),
            ))
            .await?
            .items)
    }

    pub async fn hearing(&self, hearing_id: &str) -> Result<AsyncHearing> {
        self.read(Call::new(Method::GET, format!("/hearings/{hearing_id}")))
            .await
    }

    pub async fn record_step(
        &self,
        hearing_id: &str,
        index: u32,
        recording: &StepRecordingRequest,
    ) -> Result<AsyncHearing> {
        self.read(
            Call::new(
                Method::PUT,
                format!("/hearings/{hearing_id}/steps/{index}/recording"),
            )
            .json(recording),
        )
        .await
    }

    pub async fn submit_hearing(&self, hearing_id: &str) -> Result<AsyncHearing> {
        self.read(Call::new(Method::POST, format!("/hearings/{hearing_id}/submission")).once())
            .await
    }

    /// Documents served to this account.
    pub async fn inbox(&self) -> Result<Vec<ServedDocument>> {
        Ok(self
            .read::<List<ServedDocument>>(Call::new(Method::GET, "/service"))
            .await?
            .items)
    }

    /// Records opening a served document; the platform keeps the first time, so safe to repeat.
    pub async fn mark_opened(&self, service_id: &str) -> Result<ServedDocument> {
        self.read(Call::new(
            Method::POST,
            format!("/service/{service_id}/opened"),
        ))
        .await
    }

    /// Confirms receipt; the platform keeps the first time, so safe to repeat.
    pub async fn confirm_receipt(&self, service_id: &str) -> Result<ServedDocument> {
        self.read(Call::new(
            Method::POST,
            format!("/service/{service_id}/receipt"),
        ))
        .await
    }

    pub async fn service_certificate(&self, service_id: &str) -> Result<ServiceCertificate> {
        self.read(Call::new(
            Method::GET,
            format!("/service/{service_id}/certificate"),
        ))
        .await
    }

    pub async fn sign(&self, request: &SignatureRequest) -> Result<Signature> {
        self.read(Call::new(Method::POST, "/signatures").json(request).once())
            .await
    }

    /// The signatures made on a document; check them with the signers' keys, not on trust.
    pub async fn document_signatures(&self, document_id: &str) -> Result<Vec<Signature>> {
        Ok(self
            .read::<List<Signature>>(Call::new(
                Method::GET,
                format!("/documents/{document_id}/signatures"),
            ))
            .await?
            .items)
    }

    /// The signing keys the case's parties registered.
    pub async fn case_signing_keys(&self, case_id: &str) -> Result<Vec<PartySigningKey>> {
        Ok(self
            .read::<List<PartySigningKey>>(Call::new(
                Method::GET,
                format!("/cases/{case_id}/signing-keys"),
            ))
            .await?
            .items)
    }

    /// Events after `after`, waiting up to `wait_seconds` (at most 30) for the first.
    pub async fn events(&self, after: u64, wait_seconds: u64) -> Result<EventPage> {
        self.read(Call::new(
            Method::GET,
            format!("/events?after={after}&wait={}", wait_seconds.min(30)),
        ))
        .await
    }

    pub async fn document(&self, document_id: &str) -> Result<Document> {
        self.read(Call::new(Method::GET, format!("/documents/{document_id}")))
            .await
    }

    /// A proof, signed now, that the document is in the platform's deposit log. Check it with
    /// `litigant-evidence`; the platform's word is not the check.
    pub async fn deposit_proof(&self, document_id: &str) -> Result<DepositProof> {
        self.read(Call::new(
            Method::GET,
            format!("/documents/{document_id}/deposit-proof"),
        ))
        .await
    }

    /// The deposit log's public key as the platform publishes it. Trusting it is the reader's
    /// decision: save it once, then check later proofs against the saved copy.
    pub async fn deposit_log_key(&self) -> Result<DepositLogKey> {
        self.read(Call::new(Method::GET, "/deposit-log/key").anonymous())
            .await
    }

    /// A document's bytes, checked against the platform's `Repr-Digest` when it sends one.
    pub async fn document_content(&self, document_id: &str) -> Result<Vec<u8>> {
        let response = self
            .execute(&Call::new(
                Method::GET,
                format!("/documents/{document_id}/content"),
            ))
            .await?;
        let url = response.url().to_string();
        let digest = response
            .headers()
            .get("repr-digest")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = crate::client::body(response).await?;
        if let Some(digest) = digest {
            use base64::Engine;
            use sha2::Digest;
            let local = format!(
                "sha-256=:{}:",
                base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(&bytes))
            );
            if local != digest {
                return Err(ClientError::UnexpectedAnswer {
                    url,
                    status: 200,
                    body_start: format!(
                        "the content's digest is {local}, the platform said {digest}"
                    ),
                });
            }
        }
        Ok(bytes.to_vec())
    }
}

fn header_name(name: &'static str) -> &'static str {
    // reqwest's HeaderName::from_static wants lowercase.
    match name {
        IDEMPOTENCY_KEY => "idempotency-key",
        other => other,
    }
}
