using DentalClinic.ServiceModel;

namespace DentalClinic.ServiceInterface;

/// <summary>Authorization policies: the roles table of docs/architecture.md.</summary>
public static class Policies
{
    /// <summary>Users, settings other than the logo, audit log, backups, jobs dashboard.</summary>
    public const string Admin = "admin";
    /// <summary>Admin and dentist: archive patients, write treatments, types, questions, logo; read medical answers.</summary>
    public const string Clinician = "clinician";
    /// <summary>Every signed-in role.</summary>
    public const string Staff = "staff";

    public static readonly IReadOnlyDictionary<string, string[]> RolesOf = new Dictionary<string, string[]>
    {
        [Admin] = [Roles.Admin],
        [Clinician] = [Roles.Admin, Roles.Dentist],
        [Staff] = [Roles.Admin, Roles.Dentist, Roles.Staff],
    };
}
