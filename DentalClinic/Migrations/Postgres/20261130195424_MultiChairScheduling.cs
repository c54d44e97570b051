using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DentalClinic.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MultiChairScheduling : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_appointments_status",
                table: "appointments");

            migrationBuilder.DropIndex(
                name: "ix_appointment_reminders_appointment_id_appointment_date_appoi",
                table: "appointment_reminders");

            migrationBuilder.AddColumn<string>(
                name: "calendar_color",
                table: "users",
                type: "character varying(7)",
                maxLength: 7,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "cancel_reason",
                table: "appointments",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "chair_id",
                table: "appointments",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "dentist_id",
                table: "appointments",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "channel",
                table: "appointment_reminders",
                type: "character varying(8)",
                maxLength: 8,
                nullable: false,
                defaultValue: "email");

            migrationBuilder.AddColumn<string>(
                name: "phone",
                table: "appointment_reminders",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "channel",
                table: "appointment_reminder_attempts",
                type: "character varying(8)",
                maxLength: 8,
                nullable: false,
                defaultValue: "email");

            migrationBuilder.AddColumn<string>(
                name: "phone",
                table: "appointment_reminder_attempts",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "chairs",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    normalized_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    color = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    display_order = table.Column<int>(type: "integer", nullable: false),
                    archived_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_chairs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "closures",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    from = table.Column<DateOnly>(type: "date", nullable: false),
                    to = table.Column<DateOnly>(type: "date", nullable: false),
                    dentist_id = table.Column<Guid>(type: "uuid", nullable: true),
                    reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_closures", x => x.id);
                    table.CheckConstraint("ck_closures_dates", "\"from\" <= \"to\"");
                    table.ForeignKey(
                        name: "fk_closures_users_dentist_id",
                        column: x => x.dentist_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "schedule_intervals",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    dentist_id = table.Column<Guid>(type: "uuid", nullable: true),
                    weekday = table.Column<int>(type: "integer", nullable: false),
                    start = table.Column<TimeOnly>(type: "time without time zone", nullable: false),
                    end = table.Column<TimeOnly>(type: "time without time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_schedule_intervals", x => x.id);
                    table.CheckConstraint("ck_schedule_intervals_weekday", "weekday BETWEEN 1 AND 7");
                    table.ForeignKey(
                        name: "fk_schedule_intervals_users_dentist_id",
                        column: x => x.dentist_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_appointments_chair_id",
                table: "appointments",
                column: "chair_id");

            migrationBuilder.CreateIndex(
                name: "ix_appointments_dentist_id",
                table: "appointments",
                column: "dentist_id");

            migrationBuilder.AddCheckConstraint(
                name: "ck_appointments_status",
                table: "appointments",
                sql: "status IN ('pending', 'confirmed', 'arrived', 'completed', 'cancelled', 'no-show')");

            migrationBuilder.CreateIndex(
                name: "ix_appointment_reminders_appointment_id_appointment_date_appoi",
                table: "appointment_reminders",
                columns: new[] { "appointment_id", "appointment_date", "appointment_time", "channel" },
                unique: true);

            migrationBuilder.AddCheckConstraint(
                name: "ck_appointment_reminders_channel",
                table: "appointment_reminders",
                sql: "channel IN ('email', 'sms')");

            migrationBuilder.CreateIndex(
                name: "ix_chairs_normalized_name",
                table: "chairs",
                column: "normalized_name",
                unique: true,
                filter: "archived_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_closures_dentist_id",
                table: "closures",
                column: "dentist_id");

            migrationBuilder.CreateIndex(
                name: "ix_closures_to_from",
                table: "closures",
                columns: new[] { "to", "from" });

            migrationBuilder.CreateIndex(
                name: "ix_schedule_intervals_dentist_id_weekday_start",
                table: "schedule_intervals",
                columns: new[] { "dentist_id", "weekday", "start" });

            migrationBuilder.AddForeignKey(
                name: "fk_appointments_chairs_chair_id",
                table: "appointments",
                column: "chair_id",
                principalTable: "chairs",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_appointments_users_dentist_id",
                table: "appointments",
                column: "dentist_id",
                principalTable: "users",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_appointments_chairs_chair_id",
                table: "appointments");

            migrationBuilder.DropForeignKey(
                name: "fk_appointments_users_dentist_id",
                table: "appointments");

            migrationBuilder.DropTable(
                name: "chairs");

            migrationBuilder.DropTable(
                name: "closures");

            migrationBuilder.DropTable(
                name: "schedule_intervals");

            migrationBuilder.DropIndex(
                name: "ix_appointments_chair_id",
                table: "appointments");

            migrationBuilder.DropIndex(
                name: "ix_appointments_dentist_id",
                table: "appointments");

            migrationBuilder.DropCheckConstraint(
                name: "ck_appointments_status",
                table: "appointments");

            migrationBuilder.DropIndex(
                name: "ix_appointment_reminders_appointment_id_appointment_date_appoi",
                table: "appointment_reminders");

            migrationBuilder.DropCheckConstraint(
                name: "ck_appointment_reminders_channel",
                table: "appointment_reminders");

            migrationBuilder.DropColumn(
                name: "calendar_color",
                table: "users");

            migrationBuilder.DropColumn(
                name: "cancel_reason",
                table: "appointments");

            migrationBuilder.DropColumn(
                name: "chair_id",
                table: "appointments");

            migrationBuilder.DropColumn(
                name: "dentist_id",
                table: "appointments");

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

            migrationBuilder.AddCheckConstraint(
                name: "ck_appointments_status",
                table: "appointments",
                sql: "status IN ('confirmed', 'pending', 'cancelled')");

            migrationBuilder.CreateIndex(
                name: "ix_appointment_reminders_appointment_id_appointment_date_appoi",
                table: "appointment_reminders",
                columns: new[] { "appointment_id", "appointment_date", "appointment_time" },
                unique: true);
        }
    }
}
