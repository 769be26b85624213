using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SyncTooling.Analyzers.Infrastructure;

/// <summary>
/// Reads values the compiler can fold. Anything else is "unknown", and a rule with an unknown input stays
/// silent: the analyzers never guess.
/// </summary>
internal static class ConstantValues
{
    /// <summary>A string constant (or the constant null): literals, const fields, folded concatenation and interpolation.</summary>
    public static bool TryGetString(IOperation operation, out string? value)
    {
        value = null;
        var constant = operation.ConstantValue;
        if (!constant.HasValue || (constant.Value is not null && constant.Value is not string))
        {
            return false;
        }

        value = (string?)constant.Value;
        return true;
    }

    public static bool TryGetBoolean(IOperation operation, out bool value)
    {
        value = false;
        if (operation.ConstantValue is { HasValue: true, Value: bool b })
        {
            value = b;
            return true;
        }

        return false;
    }

    /// <summary>
    /// A TimeSpan built only from constants: <c>TimeSpan.Zero</c>, <c>MinValue</c>, <c>MaxValue</c>,
    /// <c>default</c>, the <c>From*</c> factories, the constructors, and unary minus of those.
    /// </summary>
    public static TimeSpan? TryGetTimeSpan(IOperation operation, INamedTypeSymbol? timeSpan)
    {
        if (timeSpan is null)
        {
            return null;
        }

        operation = Unwrap(operation);
        if (!SymbolEqualityComparer.Default.Equals(operation.Type, timeSpan))
        {
            return null;
        }

        switch (operation)
        {
            case IDefaultValueOperation:
                return TimeSpan.Zero;
            case IFieldReferenceOperation { Field: { IsStatic: true } field }:
                return field.Name switch
                {
                    "Zero" => TimeSpan.Zero,
                    "MinValue" => TimeSpan.MinValue,
                    "MaxValue" => TimeSpan.MaxValue,
                    _ => null,
                };
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Minus } minus:
                var inner = TryGetTimeSpan(minus.Operand, timeSpan);
                return inner is { } v && v != TimeSpan.MinValue ? v.Negate() : null;
            case IInvocationOperation { TargetMethod: { IsStatic: true } method } invocation
                when SymbolEqualityComparer.Default.Equals(method.ContainingType, timeSpan):
                return FromArguments(invocation.Arguments, method.Name);
            case IObjectCreationOperation creation:
                return FromArguments(creation.Arguments, "new");
            default:
                return null;
        }
    }

    private static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } or IParenthesizedOperation)
        {
            operation = operation is IConversionOperation c ? c.Operand : ((IParenthesizedOperation)operation).Operand;
        }

        return operation;
    }

    private static TimeSpan? FromArguments(System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments, string methodName)
    {
        double ticks = 0;
        foreach (var argument in arguments)
        {
            var constant = argument.Value.ConstantValue;
            if (!constant.HasValue || constant.Value is null || argument.Parameter is null)
            {
                return null;
            }

            double? unit = UnitTicks(argument.Parameter.Name) ?? UnitTicks(methodName);
            if (unit is null)
            {
                return null;
            }

            double number;
            try
            {
                number = Convert.ToDouble(constant.Value, System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (InvalidCastException)
            {
                return null;
            }

            ticks += number * unit.Value;
        }

        // Out of range throws at run time; that is another problem, not this rule's.
        return double.IsNaN(ticks) || ticks >= long.MaxValue || ticks <= long.MinValue ? null : TimeSpan.FromTicks((long)ticks);
    }

    private static double? UnitTicks(string name) => name switch
    {
        "days" or "FromDays" => TimeSpan.TicksPerDay,
        "hours" or "FromHours" => TimeSpan.TicksPerHour,
        "minutes" or "FromMinutes" => TimeSpan.TicksPerMinute,
        "seconds" or "FromSeconds" => TimeSpan.TicksPerSecond,
        "milliseconds" or "FromMilliseconds" => TimeSpan.TicksPerMillisecond,
        "microseconds" or "FromMicroseconds" => 10,
        "ticks" or "FromTicks" => 1,
        _ => null,
    };
}
