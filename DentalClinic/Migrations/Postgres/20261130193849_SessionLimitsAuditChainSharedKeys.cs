using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace DentalClinic.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SessionLimitsAuditChainSharedKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "session_started_at",
                table: "refresh_tokens",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.AddColumn<string>(
                name: "hash",
                table: "audit_log",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "seq",
                table: "audit_log",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    friendly_name = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    xml = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_data_protection_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "login_failures",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    client = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    failed_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_login_failures", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_audit_log_seq",
                table: "audit_log",
                column: "seq",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_login_failures_email_failed_at",
                table: "login_failures",
                columns: new[] { "email", "failed_at" });

            migrationBuilder.CreateIndex(
                name: "ix_login_failures_failed_at",
                table: "login_failures",
                column: "failed_at");

            // Sessions already open began, at the latest, when their current refresh token was issued.
            // Audit rows written before the hash chain get its first positions, in time order, without a hash.
            migrationBuilder.Sql("""
                UPDATE refresh_tokens SET session_started_at = created_at;
                ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
                UPDATE audit_log SET seq = n.seq
                    FROM (SELECT id, row_number() OVER (ORDER BY occurred_at, id) AS seq FROM audit_log) AS n
                    WHERE audit_log.id = n.id;
                ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "data_protection_keys");

            migrationBuilder.DropTable(
                name: "login_failures");

            migrationBuilder.DropIndex(
                name: "ix_audit_log_seq",
                table: "audit_log");

            migrationBuilder.DropColumn(
                name: "session_started_at",
                table: "refresh_tokens");

            migrationBuilder.DropColumn(
                name: "hash",
                table: "audit_log");

            migrationBuilder.DropColumn(
                name: "seq",
                table: "audit_log");
        }
    }
}
