// A small test runner of the project's own: fixtures are classes with [Fixture]; their public
// instance methods with [Test] run in declaration order on a fresh instance each (constructor =
// setup, Dispose = teardown); static [FixtureSetUp]/[FixtureTearDown] methods run once.
// usage: mono RtmKit.Tests.exe [Fixture ...]   (no argument: every fixture)
//        mono RtmKit.Tests.exe --api           (the public API of RtmKit.dll, see ApiListing.cs)
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Reflection;

namespace RtmKit.Tests
{
    [AttributeUsage(AttributeTargets.Class)] public sealed class FixtureAttribute : Attribute { }
    [AttributeUsage(AttributeTargets.Method)] public sealed class TestAttribute : Attribute { }
    [AttributeUsage(AttributeTargets.Method)] public sealed class FixtureSetUpAttribute : Attribute { }
    [AttributeUsage(AttributeTargets.Method)] public sealed class FixtureTearDownAttribute : Attribute { }

    public static class Runner
    {
        public static int Main(string[] args)
        {
            if (args.Length == 1 && args[0] == "--api")
            {
                foreach (var line in ApiListing.Lines()) Console.WriteLine(line);
                return 0;
            }
            var fixtures = typeof(Runner).Assembly.GetTypes()
                .Where(t => t.GetCustomAttributes(typeof(FixtureAttribute), false).Length > 0)
                .OrderBy(t => t.Name).ToList();
            if (args.Length > 0)
            {
                var unknown = args.Where(a => fixtures.All(f => f.Name != a)).ToList();
                if (unknown.Count > 0)
                {
                    Console.Error.WriteLine("unknown fixture(s): " + string.Join(", ", unknown) + "; known: " +
                                            string.Join(", ", fixtures.Select(f => f.Name)));
                    return 2;
                }
                fixtures = fixtures.Where(f => args.Contains(f.Name)).ToList();
            }
            int passed = 0, failed = 0;
            var total = Stopwatch.StartNew();
            foreach (var f in fixtures)
            {
                var tests = f.GetMethods(BindingFlags.Public | BindingFlags.Instance)
                    .Where(m => m.GetCustomAttributes(typeof(TestAttribute), false).Length > 0)
                    .OrderBy(m => m.MetadataToken).ToList();
                try
                {
                    Static(f, typeof(FixtureSetUpAttribute));
                }
                catch (Exception e)
                {
                    Console.WriteLine("FAIL " + f.Name + " (fixture set-up): " + Unwrap(e));
                    failed += tests.Count;
                    continue;
                }
                foreach (var m in tests)
                {
                    var sw = Stopwatch.StartNew();
                    object instance = null;
                    try
                    {
                        instance = Activator.CreateInstance(f);
                        m.Invoke(instance, null);
                        (instance as IDisposable)?.Dispose();
                        passed++;
                        Console.WriteLine("PASS " + f.Name + "." + m.Name + " (" + sw.ElapsedMilliseconds + " ms)");
                    }
                    catch (Exception e)
                    {
                        failed++;
                        Console.WriteLine("FAIL " + f.Name + "." + m.Name + " (" + sw.ElapsedMilliseconds + " ms): " + Unwrap(e));
                        try { (instance as IDisposable)?.Dispose(); } catch { }
                    }
                }
                try
                {
                    Static(f, typeof(FixtureTearDownAttribute));
                }
                catch (Exception e)
                {
                    Console.WriteLine("FAIL " + f.Name + " (fixture tear-down): " + Unwrap(e));
                    failed++;
                }
            }
            Console.WriteLine("C# tests (" + total.ElapsedMilliseconds + " ms):");
            Console.WriteLine(passed + " passed, " + failed + " failed");
            return failed == 0 && passed > 0 ? 0 : 1;
        }

        private static void Static(Type f, Type attribute)
        {
            foreach (var m in f.GetMethods(BindingFlags.Public | BindingFlags.Static)
                         .Where(m => m.GetCustomAttributes(attribute, false).Length > 0))
                m.Invoke(null, null);
        }

        private static string Unwrap(Exception e)
        {
            while (e is TargetInvocationException && e.InnerException != null) e = e.InnerException;
            return e.ToString();
        }
    }
}
