// `RtmKit.Tests.exe --api`: the public API of RtmKit.dll, one line per type and member, sorted, for
// the snapshot check csharp_api (bindings/csharp/api.txt).
using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace RtmKit.Tests
{
    public static class ApiListing
    {
        public static IEnumerable<string> Lines()
        {
            const BindingFlags all = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (var t in typeof(RtmClient).Assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
            {
                string kind = t.IsEnum ? "enum" : t.IsInterface ? "interface" : t.IsValueType ? "struct" : t.IsAbstract && t.IsSealed ? "static class" : "class";
                yield return kind + " " + t.FullName + (t.BaseType != null && t.BaseType != typeof(object) && !t.IsEnum && !t.IsValueType ? " : " + t.BaseType.FullName : "");
                var members = new List<string>();
                if (t.IsEnum)
                {
                    foreach (var n in Enum.GetNames(t)) members.Add(n + " = " + Convert.ToInt64(Enum.Parse(t, n)));
                }
                else
                {
                    foreach (var m in t.GetMembers(all))
                    {
                        var mi = m as MethodInfo;
                        if (mi != null && mi.IsSpecialName) continue; // property and event accessors are listed with them
                        members.Add(Describe(m));
                    }
                }
                foreach (var m in members.OrderBy(x => x, StringComparer.Ordinal)) yield return "  " + m;
            }
        }

        static string Name(Type t)
        {
            if (!t.IsGenericType) return t.FullName ?? t.Name;
            string n = t.GetGenericTypeDefinition().FullName;
            n = n.Substring(0, n.IndexOf('`'));
            return n + "<" + string.Join(", ", t.GetGenericArguments().Select(Name)) + ">";
        }

        static string Params(ParameterInfo[] ps) =>
            "(" + string.Join(", ", ps.Select(p => Name(p.ParameterType) + " " + p.Name + (p.IsOptional ? " = " + (p.DefaultValue ?? "null") : ""))) + ")";

        static string Describe(MemberInfo m)
        {
            var c = m as ConstructorInfo;
            if (c != null) return (c.IsStatic ? "static " : "") + ".ctor" + Params(c.GetParameters());
            var mi = m as MethodInfo;
            if (mi != null)
                return (mi.IsStatic ? "static " : "") + (mi.IsVirtual && !mi.IsFinal ? "virtual " : "") + Name(mi.ReturnType) + " " + mi.Name + Params(mi.GetParameters());
            var p = m as PropertyInfo;
            if (p != null) return "property " + Name(p.PropertyType) + " " + p.Name + (p.SetMethod != null && p.SetMethod.IsPublic ? " { get; set; }" : " { get; }");
            var e = m as EventInfo;
            if (e != null) return "event " + Name(e.EventHandlerType) + " " + e.Name;
            var f = m as FieldInfo;
            if (f != null) return (f.IsStatic ? "static " : "") + "field " + Name(f.FieldType) + " " + f.Name;
            return m.MemberType + " " + m.Name;
        }
    }
}
