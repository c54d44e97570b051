using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DentalClinic.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SmsReminders : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_appointment_reminders_appointment_id_appointment_date_appointment_time",
                table: "appointment_reminders");

            migrationBuilder.AddColumn<string>(
                name: "channel",
                table: "appointment_reminders",
                type: "TEXT",
                maxLength: 8,
                nullable: false,
                defaultValue: "email");

            migrationBuilder.AddColumn<string>(
                name: "phone",
                table: "appointment_reminders",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "channel",
                table: "appointment_reminder_attempts",
                type: "TEXT",
                maxLength: 8,
                nullable: false,
                defaultValue: "email");

            migrationBuilder.AddColumn<string>(
                name: "phone",
                table: "appointment_reminder_attempts",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_appointment_reminders_appointment_id_appointment_date_appointment_time_channel",
                table: "appointment_reminders",
                columns: new[] { "appointment_id", "appointment_date", "appointment_time", "channel" },
                unique: true);

            migrationBuilder.AddCheckConstraint(
                name: "ck_appointment_reminders_channel",
                table: "appointment_reminders",
                sql: "channel IN ('email', 'sms')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_appointment_reminders_appointment_id_appointment_date_appointment_time_channel",
                table: "appointment_reminders");

            migrationBuilder.DropCheckConstraint(
                name: "ck_appointment_reminders_channel",
                table: "appointment_reminders");

            migrationBuilder.DropColumn(
                name: "channel",
                table: "appointment_reminders");

            migrationBuilder.DropColumn(
                name: "phone",
                table: "appointment_reminders");

            migrationBuilder.DropColumn(
                name: "channel",
                table: "appointment_reminder_attempts");

            migrationBuilder.DropColumn(
                name: "phone",
                table: "appointment_reminder_attempts");

            migrationBuilder.CreateIndex(
                name: "ix_appointment_reminders_appointment_id_appointment_date_appointment_time",
                table: "appointment_reminders",
                columns: new[] { "appointment_id", "appointment_date", "appointment_time" },
                unique: true);
        }
    }
}
