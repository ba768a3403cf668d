// SPDX-License-Identifier: MIT
#pragma once
// The subset of JSON Schema (draft 2020-12) docs/report-schema.json uses:
// type (one or several), required, properties, additionalProperties (a
// schema), items, enum, const, anyOf, minimum, maxItems and "#/$defs/x" refs.
// Returns every violation as "path: why"; empty when the document conforms.

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>

#include <cmath>

namespace flight::test {

class JsonSchemaCheck {
public:
    explicit JsonSchemaCheck(QJsonObject root) : m_root(std::move(root)) {}

    QStringList validate(const QJsonValue& value) const
    {
        QStringList errors;
        check(m_root, value, QStringLiteral("$"), errors);
        return errors;
    }

private:
    static bool isType(const QJsonValue& v, const QString& type)
    {
        if (type == QLatin1String("object")) return v.isObject();
        if (type == QLatin1String("array")) return v.isArray();
        if (type == QLatin1String("string")) return v.isString();
        if (type == QLatin1String("boolean")) return v.isBool();
        if (type == QLatin1String("null")) return v.isNull();
        if (type == QLatin1String("number")) return v.isDouble();
        if (type == QLatin1String("integer"))
            return v.isDouble() && std::floor(v.toDouble()) == v.toDouble();
        return false;
    }

    void check(QJsonObject schema, const QJsonValue& v, const QString& path, QStringList& errors) const
    {
        if (schema.contains(QLatin1String("$ref"))) {
            const QString ref = schema.value(QLatin1String("$ref")).toString();
            const QString prefix = QStringLiteral("#/$defs/");
            if (!ref.startsWith(prefix)) {
                errors << path + QStringLiteral(": unsupported $ref ") + ref;
                return;
            }
            const QJsonObject target = m_root.value(QLatin1String("$defs")).toObject().value(ref.mid(prefix.size())).toObject();
            if (target.isEmpty()) {
                errors << path + QStringLiteral(": unknown $ref ") + ref;
                return;
            }
            check(target, v, path, errors);
        }
        if (schema.contains(QLatin1String("type"))) {
            const QJsonValue t = schema.value(QLatin1String("type"));
            QStringList types;
            if (t.isArray())
                for (const auto& x : t.toArray())
                    types << x.toString();
            else
                types << t.toString();
            bool ok = false;
            for (const QString& type : types)
                ok = ok || isType(v, type);
            if (!ok) {
                errors << path + QStringLiteral(": not ") + types.join(QLatin1Char('|'));
                return;
            }
        }
        if (schema.contains(QLatin1String("const")) && schema.value(QLatin1String("const")) != v)
            errors << path + QStringLiteral(": not the constant");
        if (schema.contains(QLatin1String("enum")) && !schema.value(QLatin1String("enum")).toArray().contains(v))
            errors << path + QStringLiteral(": not one of the enum values");
        if (schema.contains(QLatin1String("minimum")) && v.isDouble()
            && v.toDouble() < schema.value(QLatin1String("minimum")).toDouble())
            errors << path + QStringLiteral(": below the minimum");
        if (schema.contains(QLatin1String("anyOf"))) {
            bool any = false;
            for (const auto& alt : schema.value(QLatin1String("anyOf")).toArray()) {
                QStringList sub;
                check(alt.toObject(), v, path, sub);
                any = any || sub.isEmpty();
            }
            if (!any)
                errors << path + QStringLiteral(": matches no anyOf alternative");
        }
        if (v.isObject()) {
            const QJsonObject o = v.toObject();
            for (const auto& r : schema.value(QLatin1String("required")).toArray())
                if (!o.contains(r.toString()))
                    errors << path + QStringLiteral(": missing required ") + r.toString();
            const QJsonObject props = schema.value(QLatin1String("properties")).toObject();
            for (auto it = o.begin(); it != o.end(); ++it) {
                if (props.contains(it.key()))
                    check(props.value(it.key()).toObject(), it.value(), path + QLatin1Char('.') + it.key(), errors);
                else if (schema.value(QLatin1String("additionalProperties")).isObject())
                    check(schema.value(QLatin1String("additionalProperties")).toObject(), it.value(),
                          path + QLatin1Char('.') + it.key(), errors);
            }
        }
        if (v.isArray()) {
            const QJsonArray a = v.toArray();
            if (schema.contains(QLatin1String("maxItems")) && a.size() > schema.value(QLatin1String("maxItems")).toInt())
                errors << path + QStringLiteral(": too many items");
            if (schema.contains(QLatin1String("items")))
                for (qsizetype i = 0; i < a.size(); ++i)
                    check(schema.value(QLatin1String("items")).toObject(), a[i],
                          path + QStringLiteral("[%1]").arg(i), errors);
        }
    }

    QJsonObject m_root;
};

} // namespace flight::test
