namespace Tributary.Client.Admin;

/// <summary>ElectLeaders election types.</summary>
public enum ElectionType : sbyte
{
    Preferred = 0,
    Unclean = 1,
}
