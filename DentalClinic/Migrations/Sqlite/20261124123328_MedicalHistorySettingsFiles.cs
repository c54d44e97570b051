using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DentalClinic.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MedicalHistorySettingsFiles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "medical_history_links",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    patient_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    token_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    created_by_user_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    expires_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    used_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    failed_dob_attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    locked_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_medical_history_links", x => x.id);
                    table.ForeignKey(
                        name: "fk_medical_history_links_patients_patient_id",
                        column: x => x.patient_id,
                        principalTable: "patients",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_medical_history_links_users_created_by_user_id",
                        column: x => x.created_by_user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "medical_history_questions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    question = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    type = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    options = table.Column<string>(type: "text", nullable: true),
                    required = table.Column<bool>(type: "INTEGER", nullable: false),
                    order = table.Column<int>(type: "INTEGER", nullable: false),
                    retired_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_medical_history_questions", x => x.id);
                    table.CheckConstraint("ck_medical_history_questions_type", "type IN ('text', 'radio', 'checkbox', 'textarea')");
                });

            migrationBuilder.CreateTable(
                name: "settings",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    key = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    value = table.Column<string>(type: "text", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_settings", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "sms_outbox",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    to = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    body = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    purpose = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    related_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    last_error = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    sent_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sms_outbox", x => x.id);
                    table.CheckConstraint("ck_sms_outbox_status", "status IN ('pending', 'sent', 'failed')");
                });

            migrationBuilder.CreateTable(
                name: "medical_history_submissions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    patient_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    link_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    date_of_birth = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    signature = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    signature_content_type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    submission_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ip_address = table.Column<string>(type: "TEXT", maxLength: 45, nullable: true),
                    user_agent = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    submitted_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_medical_history_submissions", x => x.id);
                    table.ForeignKey(
                        name: "fk_medical_history_submissions_medical_history_links_link_id",
                        column: x => x.link_id,
                        principalTable: "medical_history_links",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_medical_history_submissions_patients_patient_id",
                        column: x => x.patient_id,
                        principalTable: "patients",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "medical_history_responses",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    patient_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    submission_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    question_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    answer = table.Column<string>(type: "text", nullable: false),
                    question_text = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    question_type = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    question_options = table.Column<string>(type: "text", nullable: true),
                    question_order = table.Column<int>(type: "INTEGER", nullable: false),
                    submitted_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_medical_history_responses", x => x.id);
                    table.ForeignKey(
                        name: "fk_medical_history_responses_medical_history_questions_question_id",
                        column: x => x.question_id,
                        principalTable: "medical_history_questions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_medical_history_responses_medical_history_submissions_submission_id",
                        column: x => x.submission_id,
                        principalTable: "medical_history_submissions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_medical_history_responses_patients_patient_id",
                        column: x => x.patient_id,
                        principalTable: "patients",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_medical_history_links_created_by_user_id",
                table: "medical_history_links",
                column: "created_by_user_id");

            migrationBuilder.CreateIndex(
                name: "ix_medical_history_links_patient_id",
                table: "medical_history_links",
                column: "patient_id");

            migrationBuilder.CreateIndex(
                name: "ix_medical_history_links_token_hash",
                table: "medical_history_links",
                column: "token_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_medical_history_questions_order",
                table: "medical_history_questions",
                column: "order",
                unique: true,
                filter: "retired_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_medical_history_responses_patient_id",
                table: "medical_history_responses",
                column: "patient_id");

            migrationBuilder.CreateIndex(
                name: "ix_medical_history_responses_question_id",
                table: "medical_history_responses",
                column: "question_id");

            migrationBuilder.CreateIndex(
                name: "ix_medical_history_responses_submission_id",
                table: "medical_history_responses",
                column: "submission_id");

            migrationBuilder.CreateIndex(
                name: "ix_medical_history_submissions_link_id",
                table: "medical_history_submissions",
                column: "link_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_medical_history_submissions_patient_id_submitted_at",
                table: "medical_history_submissions",
                columns: new[] { "patient_id", "submitted_at" });

            migrationBuilder.CreateIndex(
                name: "ix_settings_key",
                table: "settings",
                column: "key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_sms_outbox_status_created_at",
                table: "sms_outbox",
                columns: new[] { "status", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "medical_history_responses");

            migrationBuilder.DropTable(
                name: "settings");

            migrationBuilder.DropTable(
                name: "sms_outbox");

            migrationBuilder.DropTable(
                name: "medical_history_questions");

            migrationBuilder.DropTable(
                name: "medical_history_submissions");

            migrationBuilder.DropTable(
                name: "medical_history_links");
        }
    }
}
