using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DentalClinic.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PatientSearchDigitsUpToSeven : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Digit rows are pieces of 4 to 7 digits now; a longer typed run is read by its last seven (PatientSearchDigits).
            migrationBuilder.Sql("DELETE FROM patient_search_digits WHERE length(digits) > 7");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Back to every piece of 4 to 20 digits.
            migrationBuilder.Sql(PatientSearchDigitPiecesBackfill.Postgres);
        }
    }
}
