using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DentalClinic.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SmsOutboxDelivery : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_sms_outbox_status",
                table: "sms_outbox");

            migrationBuilder.AddColumn<DateTime>(
                name: "claimed_at",
                table: "sms_outbox",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "next_attempt_at",
                table: "sms_outbox",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "provider_message_id",
                table: "sms_outbox",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddCheckConstraint(
                name: "ck_sms_outbox_status",
                table: "sms_outbox",
                sql: "status IN ('pending', 'sending', 'sent', 'failed')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_sms_outbox_status",
                table: "sms_outbox");

            migrationBuilder.DropColumn(
                name: "claimed_at",
                table: "sms_outbox");

            migrationBuilder.DropColumn(
                name: "next_attempt_at",
                table: "sms_outbox");

            migrationBuilder.DropColumn(
                name: "provider_message_id",
                table: "sms_outbox");

            migrationBuilder.AddCheckConstraint(
                name: "ck_sms_outbox_status",
                table: "sms_outbox",
                sql: "status IN ('pending', 'sent', 'failed')");
        }
    }
}
