using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DentalClinic.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SmsLoggedStatus : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_sms_outbox_status",
                table: "sms_outbox");

            migrationBuilder.AddCheckConstraint(
                name: "ck_sms_outbox_status",
                table: "sms_outbox",
                sql: "status IN ('pending', 'sending', 'sent', 'logged', 'failed')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_sms_outbox_status",
                table: "sms_outbox");

            migrationBuilder.AddCheckConstraint(
                name: "ck_sms_outbox_status",
                table: "sms_outbox",
                sql: "status IN ('pending', 'sending', 'sent', 'failed')");
        }
    }
}
